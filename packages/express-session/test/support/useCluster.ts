import { startRedisCluster, type RedisClusterHandle } from '@lapse/redis-harness';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/**
 * A local Redis Cluster of 3 masters (no replicas) for the calling test file, started in
 * `beforeAll` with one ioredis Cluster client on it; both are closed in `afterAll`. Read
 * `client` inside hooks and tests.
 */
export function useStoreCluster(): { readonly client: Cluster } {
  let handle: RedisClusterHandle | undefined;
  let client: Cluster | undefined;
  beforeAll(async () => {
    handle = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
    client = new Cluster(handle.nodes);
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await handle?.stop();
  });
  return {
    get client(): Cluster {
      if (client === undefined) throw new Error('useStoreCluster: the cluster is started in beforeAll; read client inside a hook or a test');
      return client;
    },
  };
}
