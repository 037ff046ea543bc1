// LapseStore on a real Redis: lapse's layout, events with reasons, principal index, TTL rules,
// no resurrection, SCAN-based all/length/ids/clear, the callback and promise conventions.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { CorruptSessionDataError, InvalidArgumentError, LAPSE_PRINCIPAL_ATTRIBUTE, PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { ATTRIBUTE_PREFIX } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { EventRecorder } from '@lapse/redis-harness/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeletionReason, LapseStore, type LapseStoreOptions } from '../src/index.js';
import { DEFAULT_TTL_SECONDS } from '../src/internal.js';
import { startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import { CookieClient } from './support/CookieClient.js';
import { decodeAttribute, serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();

/** 32 base64url characters: what express-session's default `genid` (uid-safe, 24 bytes) produces. */
function sid(n: number): string {
  return `sid${String(n).padStart(3, '0')}`.padEnd(32, 'x');
}

/** How far the app's clock (the repository's `clock`, and the cookies the test makes) is off Redis's. */
let skew = 0;
const appNow = (): number => Date.now() + skew;

/** Session data as express-session hands it to a store (`cookie` as JSON, its expiry by the app's clock). */
function data(fields: Record<string, unknown> = {}, maxAgeMs: number | null = 60_000): SessionData {
  const expires = maxAgeMs === null ? null : new Date(appNow() + maxAgeMs).toISOString();
  return { cookie: { originalMaxAge: maxAgeMs, expires, httpOnly: true, path: '/' }, ...fields } as unknown as SessionData;
}

let client: Redis;
let repository: RedisIndexedSessionRepository;
let listener: SessionEventListener;
let events: EventRecorder<SessionEvent>;
let app: RunningApp | undefined;

beforeEach(async () => {
  client = redis.client();
  repository = new RedisIndexedSessionRepository(client, { ...serializerOptions(), namespace: uniqueNamespace(), cleanupCron: null, clock: appNow });
  listener = new SessionEventListener(repository);
  events = new EventRecorder<SessionEvent>(listener);
  await listener.start();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await listener.close();
  await repository.close();
});

function store(options: Omit<LapseStoreOptions, 'repository'> = {}): LapseStore {
  return new LapseStore({ repository, ...options });
}

// The whole suite on an app clock equal to Redis's, 5 s ahead of it and 5 s behind (as the repository's clock-skew tests).
describe.each([
  { offset: 0, label: "Redis's" },
  { offset: +5000, label: '5 s ahead of Redis' },
  { offset: -5000, label: '5 s behind Redis' },
])('app clock $label', ({ offset }) => {
  // Set before each test (the repository's clock and data() read it when called), never reset in between.
  beforeEach(() => {
    skew = offset;
  });

  describe('layout', () => {
    it('stores each top-level key as a lapse attribute, the cookie verbatim, with the cookie timeout', async () => {
      const lapse = store();
      const session = data({ user: 'ada', cart: { items: [1, 2] } }, 120_000);
      await lapse.set(sid(1), session);

      const hash = await client.hgetall(repository.keys.sessionKey(sid(1)));
      // The cookie in its compact form (its expiry follows from lastAccessedTime), well under 64 bytes.
      expect((hash[`${ATTRIBUTE_PREFIX}cookie`] ?? '').length).toBeLessThanOrEqual(20);
      expect(decodeAttribute(hash[`${ATTRIBUTE_PREFIX}user`] ?? '')).toBe('ada');
      expect(decodeAttribute(hash[`${ATTRIBUTE_PREFIX}cart`] ?? '')).toEqual({ items: [1, 2] });
      expect(Number(hash['maxInactiveInterval'])).toBe(120);

      const created = await events.next('created', sid(1));
      expect(created.session?.getAttribute('user')).toBe('ada');
      expect(await lapse.get(sid(1))).toEqual(JSON.parse(JSON.stringify(session)));
    });

    it('writes only what changed and removes keys that are gone', async () => {
      const lapse = store();
      await lapse.set(sid(2), data({ user: 'ada', flash: 'hello' }));
      await lapse.set(sid(2), data({ user: 'ada', theme: 'dark' }));
      const hash = await client.hgetall(repository.keys.sessionKey(sid(2)));
      expect(Object.keys(hash).filter((field) => field.startsWith(ATTRIBUTE_PREFIX)).sort()).toEqual(
        [`${ATTRIBUTE_PREFIX}cookie`, `${ATTRIBUTE_PREFIX}theme`, `${ATTRIBUTE_PREFIX}user`],
      );
      expect(await lapse.get(sid(2))).toMatchObject({ user: 'ada', theme: 'dark' });
      expect(events.of('created', sid(2))).toHaveLength(1);
    });
  });

  describe('timeouts (connect-redis rules)', () => {
    it('takes the seconds left until cookie.expires, else the ttl option (as connect-redis); a ttl function decides alone', async () => {
      const interval = async (lapse: LapseStore, n: number, cookie: Record<string, unknown>): Promise<number | undefined> => {
        await lapse.set(sid(n), { cookie, user: 'ada' } as unknown as SessionData);
        return (await repository.findById(sid(n)))?.maxInactiveInterval;
      };
      const lapse = store({ ttl: 10 });
      expect(await interval(lapse, 90, { expires: new Date(appNow() + 90_500).toISOString(), originalMaxAge: 5000 })).toBe(91);
      expect(await interval(lapse, 91, { expires: null, originalMaxAge: 45_000 })).toBe(10);
      expect(await interval(lapse, 92, { expires: null, originalMaxAge: null })).toBe(10);
      expect(await interval(store({ ttl: () => 7 }), 93, { expires: new Date(appNow() + 30_000).toISOString() })).toBe(7);
      expect(await interval(lapse, 94, { expires: new Date(appNow() - 1000).toISOString() })).toBeUndefined();
    });

    it('defaults to one day for a browser-session cookie, and deletes a session whose cookie has expired', async () => {
      const lapse = store();
      await lapse.set(sid(3), data({ user: 'ada' }, null));
      expect((await repository.findById(sid(3)))?.maxInactiveInterval).toBe(DEFAULT_TTL_SECONDS);

      await lapse.set(sid(3), data({ user: 'ada' }, -1000));
      expect((await events.next('deleted', sid(3))).reason).toBe(DeletionReason.cookieExpired);
      expect(await lapse.get(sid(3))).toBeNull();
    });

    it('touch restarts the timeout and stores the renewed cookie; disableTouch turns it off', async () => {
      const lapse = store();
      await lapse.set(sid(4), data({ user: 'ada' }, 60_000));
      const shortened = await repository.findById(sid(4));
      if (shortened === null) throw new Error('missing');
      shortened.maxInactiveInterval = 5;
      await repository.save(shortened);

      await store({ disableTouch: true }).touch(sid(4), data({ user: 'ada' }, 600_000));
      expect((await repository.findById(sid(4)))?.maxInactiveInterval).toBe(5);

      const renewed = data({ user: 'ada' }, 600_000);
      await lapse.touch(sid(4), renewed);
      const after = await repository.findById(sid(4));
      expect(after?.maxInactiveInterval).toBe(600);
      expect((await lapse.get(sid(4)))?.cookie).toEqual(JSON.parse(JSON.stringify(renewed.cookie)));
      expect(await client.pttl(repository.keys.shadowKey(sid(4)))).toBeGreaterThan(590_000);
    });
  });

  describe('deletion reasons through express-session', () => {
    it('regenerate (login) is reported as "regenerate", logout as "destroy"', async () => {
      app = await startSessionApp({ store: store() });
      const browser = new CookieClient(app.url);
      const anonymous = ((await browser.request('POST', '/visit')).body as { sid: string }).sid;
      const { sid: loggedIn } = (await browser.request('POST', '/login', { user: 'ada' })).body as { sid: string };

      const regenerated = await events.next('deleted', anonymous);
      expect(regenerated.reason).toBe('regenerate');
      expect(regenerated.session?.getAttribute('visits')).toBe(1);

      await browser.request('POST', '/logout');
      const loggedOut = await events.next('deleted', loggedIn);
      expect(loggedOut.reason).toBe('destroy');
      expect(loggedOut.session?.getAttribute('user')).toBe('ada');
    });

    it('a destroyed id set again is a new session: the old one ended once, with its event, and the new one is created', async () => {
      const lapse = store();
      await lapse.set(sid(5), data({ user: 'ada' }));
      await lapse.destroy(sid(5));
      await events.next('deleted', sid(5));
      // Within the destroyed hash's grace period (a fixed id, a custom genid, destroy-then-set).
      await lapse.set(sid(5), data({ user: 'ada', again: true }));
      expect(await lapse.get(sid(5))).toMatchObject({ user: 'ada', again: true });
      await events.next('created', sid(5));
      await lapse.destroy(sid(5));
      await events.until(() => events.of('deleted', sid(5)).length === 2, 'the second deleted event', 5000);
      expect(events.of('deleted', sid(5)).map((event) => event.session?.getAttribute('again') ?? null)).toEqual([null, true]);
      expect(events.of('created', sid(5))).toHaveLength(2);
    });

    it('a set or touch of a session read before it ended writes nothing and it stays ended', async () => {
      const lapse = store();
      await lapse.set(sid(9), data({ user: 'ada' }));
      const loaded = (await lapse.get(sid(9))) as unknown as Record<string, unknown>;
      const touched = (await lapse.get(sid(9))) as unknown as SessionData;
      await repository.deleteById(sid(9), { reason: 'logout-elsewhere' });
      await events.next('deleted', sid(9));

      loaded['cart'] = ['book'];
      await lapse.set(sid(9), loaded as unknown as SessionData);
      await lapse.touch(sid(9), touched);
      expect(await lapse.get(sid(9))).toBeNull();
      expect(await client.exists(repository.keys.shadowKey(sid(9)))).toBe(0);
      expect(await client.hget(repository.keys.sessionKey(sid(9)), `${ATTRIBUTE_PREFIX}cart`)).toBeNull();
      expect(events.of('created', sid(9))).toHaveLength(1);
    });
  });

  describe('principal', () => {
    it('feeds the principal index, so a user\'s sessions are found and ended together; the attribute stays the store\'s', async () => {
      app = await startSessionApp({ store: store({ principal: (session) => session.user }) });
      const phone = new CookieClient(app.url);
      const laptop = new CookieClient(app.url);
      const other = new CookieClient(app.url);
      const a = ((await phone.request('POST', '/login', { user: 'ada' })).body as { sid: string }).sid;
      const b = ((await laptop.request('POST', '/login', { user: 'ada' })).body as { sid: string }).sid;
      await other.request('POST', '/login', { user: 'bob' });

      expect([...(await repository.findByPrincipalName('ada')).keys()].sort()).toEqual([a, b].sort());
      // Filed under Spring's index key; the name itself in lapse's short attribute (the hash stays compact).
      expect((await repository.findById(a))?.getAttribute(LAPSE_PRINCIPAL_ATTRIBUTE)).toBe('ada');
      expect((await repository.findById(a))?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBeUndefined();
      expect(await new LapseStore({ repository, principal: (session) => session.user }).get(a)).not.toHaveProperty(PRINCIPAL_NAME_INDEX_NAME);

      expect(await repository.deleteByPrincipalName('ada', { reason: 'logout-everywhere' })).toBe(2);
      expect((await events.next('deleted', a)).reason).toBe('logout-everywhere');
      expect((await events.next('deleted', b)).reason).toBe('logout-everywhere');
      expect((await phone.request('GET', '/me')).status).toBe(401);
      expect((await laptop.request('GET', '/me')).status).toBe(401);
      expect((await other.request('GET', '/me')).status).toBe(200);
    });

    it('moves the session between users and out of the index when the principal changes or goes', async () => {
      const lapse = store({ principal: (session) => (session as { user?: string }).user });
      await lapse.set(sid(6), data({ user: 'ada' }));
      await lapse.set(sid(6), data({ user: 'bob' }));
      expect((await repository.findByPrincipalName('ada')).size).toBe(0);
      expect([...(await repository.findByPrincipalName('bob')).keys()]).toEqual([sid(6)]);
      await lapse.set(sid(6), data({}));
      expect((await repository.findByPrincipalName('bob')).size).toBe(0);
    });
  });

  describe('invalid ids and errors', () => {
    it('get of an id lapse would never issue gives null, without touching Redis; set refuses it with a typed error', async () => {
      const lapse = store();
      for (const bad of ['', 'short', 'a:b'.padEnd(32, 'c'), `${sid(7)}x`, 'expires:abc']) {
        expect(await lapse.get(bad)).toBeNull();
        await expect(new Promise((resolve, reject) => void lapse.get(bad, (error, value) => (error ? reject(error) : resolve(value))))).resolves.toBeNull();
        await lapse.destroy(bad);
        await lapse.touch(bad, data());
      }
      await expect(lapse.set('not valid', data())).rejects.toBeInstanceOf(InvalidArgumentError);
      const error = await new Promise((resolve) => void lapse.set('not valid', data(), resolve));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(await client.keys(`${repository.keys.sessionKeyPrefix}*`)).toEqual([]);
    });

    it('a Redis failure rejects the promise, or goes to the callback (and the promise resolves)', async () => {
      const lapse = store();
      await lapse.set(sid(8), data({ user: 'ada' }));
      await client.del(repository.keys.sessionKey(sid(8)));
      await client.set(repository.keys.sessionKey(sid(8)), 'not a hash');
      await expect(lapse.get(sid(8))).rejects.toBeInstanceOf(CorruptSessionDataError);
      let received: unknown;
      await expect(lapse.get(sid(8), (error) => (received = error))).resolves.toBeUndefined();
      expect(received).toBeInstanceOf(CorruptSessionDataError);
    });

    it('refuses options it cannot use', () => {
      expect(() => new LapseStore({} as LapseStoreOptions)).toThrow(InvalidArgumentError);
      expect(() => store({ ttl: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
    });
  });

  describe('all, length, ids, clear', () => {
    it('list and count live sessions by SCAN, with callbacks or promises, and clear them with reason "clear"', async () => {
      const lapse = store();
      for (const n of [10, 11, 12]) await lapse.set(sid(n), data({ n }));
      await lapse.set(sid(13), data({ n: 13 }));
      await lapse.destroy(sid(13));
      await client.set(`${repository.keys.namespace}:unrelated`, 'x');

      expect(await lapse.length()).toBe(3);
      expect((await lapse.ids()).sort()).toEqual([sid(10), sid(11), sid(12)]);
      const all = await lapse.all();
      expect(all.map((session) => [session.id, (session as unknown as { n: number }).n]).sort()).toEqual([
        [sid(10), 10],
        [sid(11), 11],
        [sid(12), 12],
      ]);
      const viaCallback = await new Promise<number | undefined>((resolve, reject) => void lapse.length((error, n) => (error ? reject(error) : resolve(n))));
      expect(viaCallback).toBe(3);

      await new Promise<void>((resolve, reject) => void lapse.clear((error) => (error ? reject(error) : resolve())));
      for (const n of [10, 11, 12]) expect((await events.next('deleted', sid(n))).reason).toBe('clear');
      expect(await lapse.length()).toBe(0);
      expect(await lapse.all()).toEqual([]);
    });
  });
});
