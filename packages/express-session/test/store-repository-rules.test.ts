// The store follows the repository's rules because it reads and writes through the
// repository's own path: its liveness rule (Redis decides near the deadline, so app clocks 5 s
// off Redis's change nothing), its maxAttributeBytes, its session-id rules (no id names another
// key of the layout); and it gives values back as connect-redis does (`null` stays, no cookie
// invented).
import { CorruptSessionDataError, InvalidArgumentError, SessionSerializationError } from '@lapse/repository';
import { SessionKeys } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { LapseStore, type LapseStoreOptions } from '../src/index.js';
import { startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import { CookieClient } from './support/CookieClient.js';
import { serializerOptions, uniqueNamespace, useClientUnderTest, useRedis } from './support/redis.js';

const redis = useRedis();
const underTest = useClientUnderTest(redis);
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function build(namespace: string, options: Omit<LapseStoreOptions, 'client' | 'prefix'> = {}, skew = 0): LapseStore {
  const { repositoryOptions, ...rest } = options;
  const store = new LapseStore({
    client: underTest.client,
    prefix: `${namespace}:`,
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, clock: () => Date.now() + skew, ...repositoryOptions },
    ...rest,
  });
  closers.push(() => store.close());
  return store;
}

/** Session data as express-session hands it to a store, with its cookie's expiry by the app's clock. */
function data(fields: Record<string, unknown>, maxAgeMs = 60_000, skew = 0): SessionData {
  const expires = new Date(Date.now() + skew + maxAgeMs).toISOString();
  return { cookie: { originalMaxAge: maxAgeMs, expires, httpOnly: true, path: '/' }, ...fields } as unknown as SessionData;
}

const keysOf = (namespace: string): Promise<string[]> => redis.client().keys(`${namespace}:*`);

describe('liveness: the repository\'s rule, on an app clock off Redis\'s', () => {
  it('5 s ahead: a session its clock calls ended is found while Redis holds it', async () => {
    const namespace = uniqueNamespace('skew');
    const writer = build(namespace);
    const reader = build(namespace, {}, +5000);
    await writer.set('ahead', data({ user: 'ada' }, 3000));
    // By the reader's clock the 3 s ran out 2 s ago; by Redis's they have just begun.
    expect(await reader.get('ahead')).toMatchObject({ user: 'ada' });
  });

  it('5 s behind: a session Redis has expired is not found, though its clock gives it seconds more', async () => {
    const namespace = uniqueNamespace('skew');
    const writer = build(namespace);
    const reader = build(namespace, {}, -5000);
    await writer.set('behind', data({ user: 'ada' }, 1000));
    const inspection = redis.client();
    const shadowKey = writer.repository.keyspace.of('behind').shadowKey('behind');
    const deadline = Date.now() + 5000;
    while ((await inspection.exists(shadowKey)) === 1) {
      expect(Date.now(), 'the shadow key outlived its 1 s timeout by 4 s').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await reader.get('behind')).toBeNull();
  });
});

describe('TTLs: the repository\'s computation', () => {
  it('maxInactiveInterval from the cookie; the shadow key lives that long, the hash 300 s more', async () => {
    const store = build(uniqueNamespace('ttl'));
    await store.set('ttl', data({ user: 'ada' }, 600_000));
    const keys = store.repository.keyspace.of('ttl');
    const inspection = redis.client();
    expect((await store.repository.findById('ttl'))?.maxInactiveInterval).toBe(600);
    const [shadow, hash] = [await inspection.pttl(keys.shadowKey('ttl')), await inspection.pttl(keys.sessionKey('ttl'))];
    expect(shadow).toBeGreaterThan(590_000);
    expect(shadow).toBeLessThanOrEqual(600_000);
    expect(hash - shadow).toBeGreaterThan(299_000);
    expect(hash - shadow).toBeLessThanOrEqual(300_000);
  });
});

describe('maxAttributeBytes: the repository\'s limit and typed error', () => {
  it('refuses a 2 MiB attribute (default limit 1 MiB): set rejects, nothing is written', async () => {
    const namespace = uniqueNamespace('size');
    const store = build(namespace);
    await expect(store.set('big', data({ blob: 'x'.repeat(2 * 1024 * 1024) }))).rejects.toBeInstanceOf(SessionSerializationError);
    expect(await keysOf(namespace)).toEqual([]);
  });

  it('refuses a 50 kB attribute with maxAttributeBytes 1000, on a new and on a stored session', async () => {
    const namespace = uniqueNamespace('size');
    const store = build(namespace, { repositoryOptions: { maxAttributeBytes: 1000 } });
    await expect(store.set('new', data({ blob: 'x'.repeat(50_000) }))).rejects.toBeInstanceOf(SessionSerializationError);
    expect(await keysOf(namespace)).toEqual([]);
    await store.set('stored', data({ small: 1 }));
    const read = await store.get('stored');
    await expect(store.set('stored', { ...read, blob: 'x'.repeat(50_000) } as SessionData)).rejects.toBeInstanceOf(SessionSerializationError);
    expect(await store.get('stored')).not.toHaveProperty('blob');
  });

  it('through an express app: the request fails and nothing is written', async () => {
    const namespace = uniqueNamespace('size');
    const store = build(namespace, { repositoryOptions: { maxAttributeBytes: 1000 } });
    const app: RunningApp = await startSessionApp({ store });
    closers.push(() => app.close());
    const login = await new CookieClient(app.url).request('POST', '/login', { user: 'x'.repeat(50_000) });
    expect(login.status).toBe(500);
    expect(await keysOf(namespace)).toEqual([]);
  });
});

// Derived from the key layout, as the repository derives them: names of the layout's own keys
// (in this namespace or in `<ns>:sessions`), and ids naming another session's keys.
const layout = new SessionKeys('ns');
const tail = (key: string): string => key.slice('ns:'.length);
const reserved = [
  tail(layout.expirationSortedSetKey).slice('sessions:'.length),
  tail(layout.bucketRegistryKey),
  tail(layout.eventStreamKey),
  tail(layout.expirationSortedSetKey),
  tail(layout.shadowKey('abc')).slice('sessions:'.length),
  `abc${layout.indexReferenceKey('').slice(layout.sessionKey('').length)}`,
  tail(layout.sessionKey('abc')),
  tail(layout.bucketKey(60_000)),
  tail(layout.principalIndexKey('ada')),
];

describe('ids that name a key of the layout', () => {
  it('the list covers the layout\'s keys', () => {
    expect(reserved).toEqual([
      'expirations',
      'expiration-minutes',
      'session-events',
      'sessions:expirations',
      'expires:abc',
      'abc:idx',
      'sessions:abc',
      'expirations:60000',
      'index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:ada',
    ]);
  });

  it.each(reserved)('%s: set rejects with InvalidArgumentError, get gives null, nothing is written', async (id) => {
    const namespace = uniqueNamespace('reserved');
    const store = build(namespace);
    await expect(store.set(id, data({ user: 'ada' }))).rejects.toBeInstanceOf(InvalidArgumentError);
    await new Promise<void>((resolve) => {
      store.set(id, data({ user: 'ada' }), (error) => {
        expect(error).toBeInstanceOf(InvalidArgumentError);
        resolve();
      });
    });
    expect(await store.get(id)).toBeNull();
    expect(await keysOf(namespace)).toEqual([]);
  });

  it.each(reserved)('%s: the repository refuses it for a new session (InvalidArgumentError) and never finds it', async (id) => {
    const namespace = uniqueNamespace('reserved');
    const store = build(namespace);
    const { repository } = store;
    await expect(repository.createSession({ id })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(repository.writeSessionHash({ id, mode: 'create', set: [], remove: [], lastAccessedTime: Date.now(), maxInactiveInterval: 60, previousExpiresAt: null, principal: null, previousPrincipal: null })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(repository.isValidSessionId(id)).toBe(false);
    expect(await repository.findById(id)).toBeNull();
    expect(await keysOf(namespace)).toEqual([]);
  });

  it('"expirations" from a custom genid on an empty namespace: the login fails with a 500 and nothing is written (the sorted-set index key never becomes a hash)', async () => {
    const namespace = uniqueNamespace('reserved');
    const store = build(namespace, { repositoryOptions: { expirationIndex: 'sorted-set' } });
    const app = await startSessionApp({ store, genid: () => 'expirations' });
    closers.push(() => app.close());
    expect((await new CookieClient(app.url).request('POST', '/login', { user: 'ada' })).status).toBe(500);
    expect(await keysOf(namespace)).toEqual([]);
  });
});

describe('an id whose session ended, set again', () => {
  it('expired with nobody to record its end yet: the end is recorded once, with its data, and the new session is stored', async () => {
    const namespace = uniqueNamespace('again');
    const store = build(namespace);
    await store.set('again', data({ life: 1 }, 1000));
    const inspection = redis.client();
    const keys = store.repository.keyspace.of('again');
    const deadline = Date.now() + 5000;
    while ((await inspection.exists(keys.shadowKey('again'))) === 1) {
      expect(Date.now(), 'the shadow key outlived its 1 s timeout by 4 s').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await store.set('again', data({ life: 2 }));
    expect(await store.get('again')).toMatchObject({ life: 2 });
    const records = (await inspection.xrange(keys.eventStreamKey, '-', '+')).map(([, fields]) => fields);
    expect(records).toHaveLength(1);
    const record = records[0] as string[];
    expect(record.slice(0, 4)).toEqual(['type', 'expired', 'id', 'again']);
    expect(record[record.indexOf('hash') + 1]).toContain('sessionAttr:life');
  });
});

describe('values as connect-redis gives them back', () => {
  it('an attribute whose value is null comes back null', async () => {
    const store = build(uniqueNamespace('values'));
    await store.set('nulls', data({ returnTo: null, user: 'ada' }));
    const read = await store.get('nulls');
    expect(read).toHaveProperty('returnTo', null);
    expect(read).toMatchObject({ user: 'ada' });
  });

  it('a session stored without a cookie comes back without one; express-session still gets its default cookie', async () => {
    const store = build(uniqueNamespace('values'));
    await store.set('cookieless', { foo: 'bar' } as unknown as SessionData);
    const read = await store.get('cookieless');
    expect(read).toEqual({ foo: 'bar' });
    const req = { sessionID: 'cookieless' } as unknown as Parameters<LapseStore['createSession']>[0];
    const made = store.createSession(req, read as SessionData);
    expect(made.cookie.originalMaxAge).toBeNull();
    expect(made.cookie.path).toBe('/');
    expect(made['foo' as keyof typeof made]).toBe('bar');
  });
});

describe('two requests of one session at once', () => {
  it('each writes only what it changed since its own read: the first to write keeps its change', async () => {
    const store = build(uniqueNamespace('concurrent'));
    await store.set('both', data({ user: 'ada' }));
    type Req = Parameters<LapseStore['createSession']>[0];
    // Both read before either writes (as two requests of one page do), each inflated by express-session's createSession.
    const [first, second] = await Promise.all([store.get('both'), store.get('both')]);
    const one = store.createSession({ sessionID: 'both' } as unknown as Req, first as SessionData) as unknown as Record<string, unknown>;
    const two = store.createSession({ sessionID: 'both' } as unknown as Req, second as SessionData) as unknown as Record<string, unknown>;
    two['cart'] = ['book'];
    await store.set('both', two as unknown as SessionData);
    one['theme'] = 'dark';
    await store.set('both', one as unknown as SessionData);
    expect(await store.get('both')).toMatchObject({ user: 'ada', cart: ['book'], theme: 'dark' });
  });
});

describe('a corrupt session beside good ones', () => {
  it('its get rejects with CorruptSessionDataError; all() lists the others and names it in unreadable; length and clear include it', async () => {
    const namespace = uniqueNamespace('corrupt');
    const store = build(namespace);
    for (const id of ['good-1', 'good-2', 'broken']) await store.set(id, data({ user: id }));
    const brokenKey = store.repository.keyspace.of('broken').sessionKey('broken');
    await redis.client().hset(brokenKey, 'sessionAttr:user', '{not json');

    await expect(store.get('broken')).rejects.toBeInstanceOf(CorruptSessionDataError);
    expect(await store.get('good-1')).toMatchObject({ user: 'good-1' });
    const all = await store.all();
    expect(all.map((session) => session.id).sort()).toEqual(['good-1', 'good-2']);
    expect(all.unreadable.map((error) => [error.sessionId, error.key])).toEqual([['broken', brokenKey]]);
    expect(Object.keys(all)).toEqual(['0', '1']);
    expect(await store.length()).toBe(3);
    await store.clear();
    expect(await store.length()).toBe(0);
  });
});
