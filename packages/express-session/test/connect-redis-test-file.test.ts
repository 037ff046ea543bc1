// Every check connect-redis's own test file (index_test.ts) makes, in our words, against
// LapseStore built from the client under test (LAPSE_CLIENT) as a connect-redis app builds its
// store, with only key names mapped to the layout (`sess:<id>` is the shadow key, whose TTL is
// the session's). Run with the app's clock as Redis's, 5 s ahead of it and 5 s behind: the app
// computes its cookies' expiries with its own clock, as express-session does.
import { Cookie, type SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import { LapseStore, type SessionDataWithId } from '../src/index.js';
import { DEFAULT_TTL_SECONDS } from '../src/internal.js';
import { uniqueNamespace, useClientUnderTest, useRedis } from './support/redis.js';

const redis = useRedis();
const underTest = useClientUnderTest(redis);

describe.each([
  { skew: 0, label: "Redis's" },
  { skew: +5000, label: '5 s ahead of Redis' },
  { skew: -5000, label: '5 s behind Redis' },
])('the checks of connect-redis 10 index_test.ts, app clock $label', ({ skew }) => {
  const appNow = (): number => Date.now() + skew;
  const build = (): LapseStore =>
    new LapseStore({ client: underTest.client, prefix: `${uniqueNamespace('crtest')}:`, repositoryOptions: { cleanupCron: null, clock: appNow } });
  /** Seconds Redis gives the session (the TTL connect-redis's test reads from `sess:<id>`). */
  const ttlOf = async (store: LapseStore, sid: string): Promise<number> => {
    const inspection = redis.client();
    return inspection.ttl(store.repository.keyspace.of(sid).shadowKey(sid));
  };

  it('defaults: client, prefix, one day ttl, scanCount 100, JSON, touch and TTL on', async () => {
    const store = build();
    expect(store.client).toBeDefined();
    expect(store.prefix.endsWith(':')).toBe(true); // connect-redis: "sess:"; lapse: the namespace and ":"
    expect(new LapseStore({ client: underTest.client }).prefix).toBe('spring:session:');
    expect(store.ttl).toBe(86400);
    expect(DEFAULT_TTL_SECONDS).toBe(86400);
    expect(store.scanCount).toBe(100);
    expect(store.serializer).toBe(JSON);
    expect(store.disableTouch).toBe(false);
    expect(store.disableTTL).toBe(false);
    await store.close();
  });

  it('the lifecycle: set, get, TTLs, touch, length, ids, all, destroy, clear, a thousand sessions, an expired cookie', async () => {
    const store = build();
    await store.clear();

    const plain = { foo: 'bar', cookie: { originalMaxAge: null } } as unknown as SessionData;
    await store.set('123', plain);
    expect(await store.get('123')).toEqual(plain);
    expect(await ttlOf(store, '123')).toBeGreaterThanOrEqual(86399);

    const expires = new Date(appNow() + 60_000);
    await store.set('456', { cookie: { originalMaxAge: null, expires } } as unknown as SessionData);
    expect(await ttlOf(store, '456')).toBeLessThanOrEqual(60);

    await store.touch('456', { cookie: { originalMaxAge: null, expires: new Date(appNow() + 90_000) } } as unknown as SessionData);
    expect(await ttlOf(store, '456')).toBeGreaterThan(60);

    expect(await store.length()).toBe(2);
    expect((await store.ids()).sort()).toEqual(['123', '456']);
    const all = (await store.all()).sort((a: SessionDataWithId, b: SessionDataWithId) => (a.id > b.id ? 1 : -1));
    expect(all).toEqual([
      { id: '123', foo: 'bar', cookie: { originalMaxAge: null } },
      { id: '456', cookie: { originalMaxAge: null, expires: expires.toISOString() } },
    ]);

    await store.destroy('456');
    expect(await store.length()).toBe(1);
    await store.clear();
    expect(await store.length()).toBe(0);

    // connect-redis loads 1000 sessions whose cookie expires in 1 s; 10 s here, so a slow machine cannot let some expire before the count.
    const cookie = new Cookie();
    for (let n = 0; n < 1000; n += 1) {
      cookie.expires = new Date(appNow() + 10_000);
      await store.set(`s${n}`, { cookie } as SessionData);
    }
    expect(await store.length()).toBe(1000);
    await store.clear();
    expect(await store.length()).toBe(0);

    await store.set('789', { cookie: { originalMaxAge: null, expires: new Date(appNow() + 90_000) } } as unknown as SessionData);
    expect(await store.length()).toBe(1);
    // A cookie that expired: the session is deleted (connect-redis: the key is gone).
    await store.set('789', { cookie: { originalMaxAge: null, expires: new Date(appNow() - 90_000) } } as unknown as SessionData);
    expect(await store.length()).toBe(0);
    await store.close();
  });
});
