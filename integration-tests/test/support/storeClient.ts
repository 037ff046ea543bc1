import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClient6 } from 'redis6';

/** Which client library the store suites run on: env `LAPSE_CLIENT` (`ioredis`, `node-redis`, `node-redis-6`), default ioredis. */
export const LAPSE_CLIENT = (process.env.LAPSE_CLIENT ?? 'ioredis') as 'ioredis' | 'node-redis' | 'node-redis-6';

/** A client as an application hands it to a store, and how the test reads keys and closes it. */
export interface TestClient {
  /** The client object (ioredis `Redis`, or a connected node-redis client). */
  readonly client: object;
  /** TTL of a key in seconds, as `TTL` answers. */
  ttl(key: string): Promise<number>;
  /** Sends one command through the client (as the application's own commands go). */
  send(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Opens the client `LAPSE_CLIENT` names on `url` (node-redis clients connected, as connect-redis requires). */
export async function openTestClient(url: string): Promise<TestClient> {
  if (LAPSE_CLIENT === 'ioredis') {
    const client = new Redis(url, { maxRetriesPerRequest: 2 });
    return { client, ttl: (key) => client.ttl(key), send: ([name, ...rest]) => client.call(name as string, ...rest), close: async () => void client.disconnect() };
  }
  if (LAPSE_CLIENT !== 'node-redis' && LAPSE_CLIENT !== 'node-redis-6') throw new Error(`LAPSE_CLIENT=${String(LAPSE_CLIENT)}: expected ioredis, node-redis or node-redis-6`);
  const client = LAPSE_CLIENT === 'node-redis' ? createClient({ url }) : createClient6({ url });
  await client.connect();
  return { client, ttl: (key) => client.ttl(key), send: (args) => client.sendCommand(args), close: async () => void client.destroy() };
}
