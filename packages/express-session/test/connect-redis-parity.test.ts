// Everything connect-redis v9.0.0's own test suite checks of its RedisStore, checked here of
// LapseStore built the same way (`new LapseStore({ client })`), on the client LAPSE_CLIENT names.
// Our own tests, written for lapse; only the names that must differ are mapped: the default
// prefix (lapse's namespace, `spring:session:`) and the key whose TTL is the session's (the
// shadow key `<ns>:sessions:expires:<id>` instead of `<prefix><id>`).
import { LapseStore } from '@lapse/express-session';
import { Cookie, type SessionData } from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestClient, type TestClient } from '../../../integration-tests/test/support/storeClient.js';
import { serializerOptions, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { TEST_EXPIRATION_INDEX } from '../../repository/test/support/testRepository.js';

const redis = useRedis();
let opened: TestClient;
let store: LapseStore;
let namespace: string;

/** The key whose TTL is session `sid`'s (connect-redis: `<prefix><sid>`). */
const ttlKey = (sid: string): string => `${namespace}:sessions:expires:${sid}`;
const asData = (value: object): SessionData => value as SessionData;

beforeEach(async () => {
  opened = await openTestClient(redis.handle.url);
  namespace = uniqueNamespace('parity');
  store = new LapseStore({
    client: opened.client as never,
    prefix: `${namespace}:`,
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX },
  });
});
afterEach(async () => {
  await store.close();
  await opened.close();
});

describe('LapseStore as connect-redis (v9.0.0 suite)', () => {
  it('starts with connect-redis defaults, each readable on the store', async () => {
    const plain = new LapseStore({ client: opened.client as never });
    try {
      expect(plain.client).toBe(opened.client);
      expect(plain.prefix).toBe('spring:session:'); // connect-redis: 'sess:'
      expect(plain.ttl).toBe(86_400);
      expect(plain.scanCount).toBe(100);
      expect(plain.serializer).toBe(JSON);
      expect(plain.disableTouch).toBe(false);
      expect(plain.disableTTL).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('gives back what was stored, and a cookie without expiry lives for the default day', async () => {
    await store.clear();
    const stored = { foo: 'bar', cookie: { originalMaxAge: null } };
    await store.set('123', asData(stored));
    expect(await store.get('123')).toEqual(stored);
    expect(await opened.ttl(ttlKey('123'))).toBeGreaterThanOrEqual(86_399);
  });

  it('lives until the cookie expires, and touch moves that on', async () => {
    const soon = new Date(Date.now() + 60_000);
    await store.set('456', asData({ cookie: { originalMaxAge: null, expires: soon } }));
    expect(await opened.ttl(ttlKey('456'))).toBeLessThanOrEqual(60);
    expect(await opened.ttl(ttlKey('456'))).toBeGreaterThan(55);
    await store.touch('456', asData({ cookie: { originalMaxAge: null, expires: new Date(Date.now() + 90_000) } }));
    expect(await opened.ttl(ttlKey('456'))).toBeGreaterThan(60);
  });

  it('counts, lists and returns every session (touch leaving the stored data as it was), destroys one, clears the rest', async () => {
    await store.clear();
    const soon = new Date(Date.now() + 60_000);
    await store.set('123', asData({ foo: 'bar', cookie: { originalMaxAge: null } }));
    await store.set('456', asData({ cookie: { originalMaxAge: null, expires: soon } }));
    await store.touch('456', asData({ cookie: { originalMaxAge: null, expires: new Date(Date.now() + 90_000) } }));

    expect(await store.length()).toBe(2);
    expect((await store.ids()).sort()).toEqual(['123', '456']);
    const everything = (await store.all()).sort((x, y) => x.id.localeCompare(y.id));
    expect(everything).toEqual([
      { id: '123', foo: 'bar', cookie: { originalMaxAge: null } },
      { id: '456', cookie: { originalMaxAge: null, expires: soon.toISOString() } },
    ]);

    await store.destroy('456');
    expect(await store.length()).toBe(1);
    await store.clear();
    expect(await store.length()).toBe(0);
  });

  it('holds a thousand sessions saved with an express-session Cookie, and clears them all', async () => {
    const cookie = new Cookie();
    for (let n = 0; n < 1000; n += 1) {
      cookie.expires = new Date(Date.now() + 60_000);
      await store.set(`s${n}`, asData({ cookie }));
    }
    expect(await store.length()).toBe(1000);
    await store.clear();
    expect(await store.length()).toBe(0);
  });

  it('keeps a session whose cookie expires later, and drops it when saved with a past expiry', async () => {
    await store.set('789', asData({ cookie: { originalMaxAge: null, expires: new Date(Date.now() + 90_000) } }));
    expect(await store.length()).toBe(1);
    await store.set('789', asData({ cookie: { originalMaxAge: null, expires: new Date(Date.now() - 90_000) } }));
    expect(await store.length()).toBe(0);
  });
});
