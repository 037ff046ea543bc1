// The move of sessions connect-redis wrote (`migrateFrom`) on a Redis Cluster: its keys
// `sess:<id>` are spread over the masters, apart from lapse's shards; each is taken on its own
// master and moved into the shard of its id.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LapseStore } from '../src/index.js';
import { serializerOptions } from './support/redis.js';
import { useStoreCluster } from './support/useCluster.js';

const cluster = useStoreCluster();

describe('migrateFrom on a Redis Cluster', () => {
  it("moves sessions at connect-redis's default keys, on every master, into lapse's shards", async () => {
    const store = new LapseStore({ client: cluster.client, prefix: 'lapse-migrate-cluster:', migrateFrom: {}, repositoryOptions: { ...serializerOptions(), cleanupCron: null } });
    expect(store.migrateFrom).toEqual({ prefix: 'lapse-migrate-cluster:' });
    const old = new LapseStore({ client: cluster.client, prefix: 'lapse-migrate-cluster-b:', migrateFrom: { prefix: 'sess:' }, repositoryOptions: { ...serializerOptions(), cleanupCron: null } });
    // 60 random ids: every one of the 3 masters holds some of them (all on two masters: a chance of about 1e-10; 12 left one master empty in about 2 % of runs).
    const sids = Array.from({ length: 60 }, () => randomBytes(24).toString('base64url'));
    for (const [i, sid] of sids.entries()) {
      const session = { cookie: { originalMaxAge: 600_000, expires: new Date(Date.now() + 600_000).toISOString(), httpOnly: true, path: '/' }, user: `user${i}` };
      await cluster.client.set(`sess:${sid}`, JSON.stringify(session), 'PX', 600_000);
    }
    const perMaster = await Promise.all(cluster.client.nodes('master').map(async (node) => (await node.keys('sess:*')).length));
    expect(perMaster.every((n) => n > 0)).toBe(true);

    for (const [i, sid] of sids.entries()) expect(await old.get(sid)).toMatchObject({ user: `user${i}` });
    expect(await Promise.all(sids.map((sid) => cluster.client.exists(`sess:${sid}`)))).toEqual(sids.map(() => 0));
    expect(new Set(await old.ids())).toEqual(new Set(sids));
    await old.clear();
    await old.close();
    await store.close();
  });
});
