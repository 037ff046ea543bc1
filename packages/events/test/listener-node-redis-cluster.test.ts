// The listener on a node-redis 5 and 6 Cluster client (3+3 cluster): sessions on every master
// expire and are deleted; each event arrives once (sentinel), with one keyevent subscriber per
// master opened through the seam.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { RedisIndexedSessionRepository, type RedisClient } from '@lapse/repository';
import { startRedisCluster, type RedisClusterHandle } from '@lapse/redis-harness';
import { EventRecorder, uniqueNamespace } from '@lapse/redis-harness/vitest';
import { createCluster as createCluster5 } from 'redis';
import { createCluster as createCluster6 } from 'redis6';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let cluster: RedisClusterHandle | undefined;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

const VARIANTS = [
  { name: 'node-redis 5', createCluster: createCluster5 },
  { name: 'node-redis 6', createCluster: createCluster6 as unknown as typeof createCluster5 },
] as const;

describe.each(VARIANTS)('SessionEventListener on a $name Cluster', ({ createCluster }) => {
  it('expired and deleted on every master arrive once each (sentinel)', async () => {
    const nodes = (cluster as RedisClusterHandle).nodes;
    const client = createCluster({ rootNodes: nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })) });
    client.on('error', () => undefined);
    await client.connect();
    closers.push(async () => client.destroy());
    const repository = new RedisIndexedSessionRepository(client as unknown as RedisClient, { namespace: uniqueNamespace('nr-cluster'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    const events = new EventRecorder<SessionEvent>(listener);
    await listener.start();
    closers.push(() => listener.close());

    const expiring: string[] = [];
    for (let i = 0; i < 30; i++) {
      const session = await repository.createSession();
      session.maxInactiveInterval = 1;
      await repository.save(session);
      expiring.push(session.id);
    }
    const shards = new Set(expiring.map((id) => repository.keyspace.of(id).shard));
    expect(shards.size).toBeGreaterThan(3); // spread over the masters' shards
    const deleted = await repository.createSession();
    await repository.save(deleted);
    await repository.deleteById(deleted.id);
    await events.next('deleted', deleted.id);
    await events.count('expired', 30, 10_000);

    // One sentinel per shard (each shard has its own event stream): created, then deleted, each
    // arriving behind anything its shard could still deliver.
    const sentinels: string[] = [];
    for (const shard of repository.keyspace.shards) {
      let sentinel = await repository.createSession();
      while (repository.keyspace.of(sentinel.id) !== shard) sentinel = await repository.createSession();
      await repository.save(sentinel);
      await events.next('created', sentinel.id);
      await repository.deleteById(sentinel.id);
      await events.next('deleted', sentinel.id);
      sentinels.push(sentinel.id);
    }
    expect(events.of('expired').map((e) => e.sessionId).sort()).toEqual([...expiring].sort());
    expect(events.of('deleted').map((e) => e.sessionId)).toEqual([deleted.id, ...sentinels]);
    expect(events.of('created')).toHaveLength(31 + sentinels.length);
    expect(events.errors).toEqual([]);
  });
});
