import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** A connected Redis client for the example, of the library `REDIS_CLIENT` names, and how to close it. */
export interface ExampleRedisClient {
  /** The client, as `RedisIndexedSessionRepository` takes it. */
  readonly client: Redis | ReturnType<typeof createClient>;
  /** `node-redis` or `ioredis`. */
  readonly library: 'node-redis' | 'ioredis';
  close(): Promise<void>;
}

/**
 * Connects to `url` with node-redis 5 (`createClient`, as connect-redis users already have it),
 * or with ioredis 6 when `library` is `ioredis` (env `REDIS_CLIENT=ioredis`). A node-redis client
 * must be connected before lapse gets it.
 */
export async function connectRedisClient(url: string, library: string | undefined): Promise<ExampleRedisClient> {
  if (library === 'ioredis') {
    const redis = new Redis(url);
    redis.on('error', (error: Error) => console.error('redis:', error.message));
    return { client: redis, library: 'ioredis', close: async () => void (await redis.quit()) };
  }
  if (library !== undefined && library !== '' && library !== 'node-redis') {
    throw new Error(`REDIS_CLIENT must be node-redis (the default) or ioredis, got ${JSON.stringify(library)}`);
  }
  const client = createClient({ url });
  client.on('error', (error: Error) => console.error('redis:', error.message));
  await client.connect();
  return { client, library: 'node-redis', close: () => client.close() };
}
