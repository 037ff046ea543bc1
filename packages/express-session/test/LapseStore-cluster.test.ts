// The store on a Redis Cluster: sessions land on every master, and all/length/ids/clear SCAN
// every master (never KEYS).
import { randomBytes } from 'node:crypto';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import type { SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import { LapseStore } from '../src/index.js';
import { serializerOptions } from './support/redis.js';
import { useStoreCluster } from './support/useCluster.js';

const cluster = useStoreCluster();

function data(user: string): SessionData {
  return { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000), httpOnly: true, path: '/' }, user } as unknown as SessionData;
}

describe('LapseStore on a Redis Cluster', () => {
  it('set/get, then length, ids, all and clear over every master', async () => {
    const repository = new RedisIndexedSessionRepository(cluster.client, { ...serializerOptions(), namespace: 'lapse-store-cluster', cleanupCron: null });
    const store = new LapseStore({ repository });
    const sids = Array.from({ length: 30 }, () => randomBytes(24).toString('base64url'));
    for (const [i, sid] of sids.entries()) await store.set(sid, data(`user${i}`));
    expect(await store.get(sids[3] as string)).toMatchObject({ user: 'user3' });

    const perMaster = await Promise.all(cluster.client.nodes('master').map(async (node) => (await node.keys('lapse-store-cluster:*:sessions:expires:*')).length));
    expect(perMaster.every((n) => n > 0)).toBe(true);
    expect(await store.length()).toBe(30);
    expect(new Set(await store.ids())).toEqual(new Set(sids));
    expect((await store.all()).map((s) => (s as { user: string }).user).sort()).toEqual(sids.map((_, i) => `user${i}`).sort());
    await store.clear();
    expect(await store.length()).toBe(0);
    await repository.close();
  });
});
