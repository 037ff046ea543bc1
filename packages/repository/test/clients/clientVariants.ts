import { Cluster, Redis } from 'ioredis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis6';
import type { RedisClient } from '../../src/index.js';

/** One client library and protocol under test. */
export interface ClientVariant {
  readonly name: string;
  readonly library: 'ioredis' | 'node-redis';
  readonly resp: 2 | 3;
  /** A connected client on `url`'s server, database `db`. */
  single(url: string, db?: number): Promise<RedisClient>;
  /** A connected cluster client from the startup nodes. */
  cluster(nodes: readonly { host: string; port: number }[]): Promise<RedisClient>;
}

/** What the variants opened, closed by {@link closeAll}. */
const opened: (() => Promise<unknown>)[] = [];

function nodeRedisVariant(name: string, createClient: typeof createClient5 | typeof createClient6, createCluster: typeof createCluster5 | typeof createCluster6, resp: 2 | 3): ClientVariant {
  return {
    name,
    library: 'node-redis',
    resp,
    async single(url, db = 0) {
      const client = createClient({ url, database: db, RESP: resp });
      client.on('error', () => undefined);
      await client.connect();
      opened.push(async () => client.destroy());
      return client as unknown as RedisClient;
    },
    async cluster(nodes) {
      const cluster = createCluster({ rootNodes: nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })), RESP: resp });
      cluster.on('error', () => undefined);
      await cluster.connect();
      opened.push(async () => cluster.destroy());
      return cluster as unknown as RedisClient;
    },
  };
}

function ioredisVariant(resp: 2 | 3): ClientVariant {
  return {
    name: `ioredis 6 RESP${resp}`,
    library: 'ioredis',
    resp,
    async single(url, db = 0) {
      const client = new Redis(url, { db, protocol: resp, maxRetriesPerRequest: 2 });
      client.on('error', () => undefined);
      opened.push(async () => client.disconnect());
      return client;
    },
    async cluster(nodes) {
      const cluster = new Cluster([...nodes], { redisOptions: { protocol: resp } });
      cluster.on('error', () => undefined);
      opened.push(async () => cluster.disconnect());
      return cluster;
    },
  };
}

/** Every client and protocol lapse supports. */
export const CLIENT_VARIANTS: readonly ClientVariant[] = [
  ioredisVariant(2),
  ioredisVariant(3),
  nodeRedisVariant('node-redis 5 RESP2', createClient5, createCluster5, 2),
  nodeRedisVariant('node-redis 5 RESP3', createClient5, createCluster5, 3),
  nodeRedisVariant('node-redis 6 RESP2', createClient6, createCluster6, 2),
  nodeRedisVariant('node-redis 6 RESP3', createClient6, createCluster6, 3),
];

/** Closes every client the variants opened. */
export async function closeAll(): Promise<void> {
  await Promise.allSettled(opened.splice(0).map((close) => close()));
}

/** Resolves with the first value `take` accepts from `values` (checked as they arrive), or rejects after `ms`. */
export function waitFor<T>(values: T[], accept: (values: T[]) => boolean, what: string, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (accept(values)) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${what}; got ${JSON.stringify(values)}`));
      setTimeout(check, 10);
    };
    check();
  });
}
