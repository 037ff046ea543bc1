import { startRedisCluster, type RedisClusterHandle } from '@lapse/redis-harness';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/** A local 3+3 Redis Cluster for one test file, and its clients (closed after the suite). */
export interface SuiteCluster {
  readonly handle: RedisClusterHandle;
  /** A new ioredis Cluster client that rides out failovers. */
  client(): Cluster;
}

/** Starts a real Redis Cluster (3 masters, 1 replica each) for the calling test file. */
export function useCluster(): SuiteCluster {
  let handle: RedisClusterHandle | undefined;
  const clients: Cluster[] = [];
  beforeAll(async () => {
    handle = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await handle?.stop();
  });
  return {
    get handle(): RedisClusterHandle {
      if (handle === undefined) throw new Error('the cluster is started in beforeAll');
      return handle;
    },
    client(): Cluster {
      if (handle === undefined) throw new Error('the cluster is started in beforeAll');
      const client = new Cluster(handle.nodes, {
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        redisOptions: { maxRetriesPerRequest: 50 },
      });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
  };
}
