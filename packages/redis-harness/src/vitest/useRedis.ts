import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { RedisHandle } from '../redis-handle.js';
import { startRedis, type StartRedisOptions } from '../start-redis.js';

/** A Redis for one test file: started before its tests, stopped after; clients are closed too. */
export interface SuiteRedis {
  /** The server. */
  readonly handle: RedisHandle;
  /** A new client (closed after the suite); errors on it are ignored, as fault tests stop Redis on purpose. */
  client(options?: { db?: number }): Redis;
}

/** Starts a real Redis for the calling test file (REDIS_URL, a container, or a redis-server binary). */
export function useRedis(options: StartRedisOptions = {}): SuiteRedis {
  let handle: RedisHandle | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    handle = await startRedis(options);
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.quit()));
    for (const c of clients) c.disconnect();
    await handle?.stop();
  });
  const started = (): RedisHandle => {
    if (handle === undefined) throw new Error('Redis is started in beforeAll');
    return handle;
  };
  return {
    get handle(): RedisHandle {
      return started();
    },
    client(clientOptions = {}): Redis {
      const client = new Redis(started().url, { db: clientOptions.db ?? 0, maxRetriesPerRequest: 2 });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
  };
}
