// Switching a connect-redis 10 app to lapse logs nobody out: sessions connect-redis wrote (its
// string keys `<prefix><id>`, through a real express app) are still found by the same cookies
// after the import line changes; each moves into lapse's layout once (even under concurrent
// requests), keeps its remaining TTL, its old key is deleted, and events fire for it from then
// on. `migrateFrom: false` turns it off. The store runs on the client LAPSE_CLIENT names.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { InvalidArgumentError } from '@lapse/repository';
import { EventRecorder } from '@lapse/redis-harness/vitest';
import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeletionReason, RedisStore, type LapseStoreOptions } from '../src/index.js';
import { CONNECT_REDIS_DEFAULT_PREFIX } from '../src/internal.js';
import { startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import { CookieClient } from './support/CookieClient.js';
import { serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';
import { useClientUnderTest } from './support/redis.js';

const redis = useRedis();
const underTest = useClientUnderTest(redis);
const MAX_AGE_MS = 3_600_000;

/** The node-redis client connect-redis 10 runs on (it takes no other), and Redis as tests inspect it. */
let nodeRedis: RedisClientType;
beforeAll(async () => {
  nodeRedis = createClient({ url: redis.handle.url });
  await nodeRedis.connect();
});
afterAll(async () => {
  await nodeRedis.quit();
});

let app: RunningApp | undefined;
let lapse: RedisStore | undefined;
let listener: SessionEventListener | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await listener?.close();
  listener = undefined;
  await lapse?.close();
  lapse = undefined;
});

/** The connect-redis app: `new RedisStore({ client, prefix })` imported from connect-redis. */
async function connectRedisApp(prefix: string | undefined): Promise<RunningApp> {
  const store = new ConnectRedisStore(prefix === undefined ? { client: nodeRedis } : { client: nodeRedis, prefix });
  return startSessionApp({ store, cookie: { maxAge: MAX_AGE_MS } });
}

/** The same app after the switch: the same constructor line, `RedisStore` imported from @lapse/express-session (plus this run's serializer, if any). */
async function lapseApp(options: Omit<LapseStoreOptions, 'client'>): Promise<{ app: RunningApp; store: RedisStore; events: EventRecorder<SessionEvent> }> {
  const serializer = serializerOptions();
  const store = new RedisStore({ client: underTest.client, ...options, ...(serializer.serializer === undefined ? {} : { repositoryOptions: serializer }) });
  lapse = store;
  listener = new SessionEventListener(store.repository);
  const events = new EventRecorder<SessionEvent>(listener);
  await listener.start();
  app = await startSessionApp({ store, cookie: { maxAge: MAX_AGE_MS } });
  return { app, store, events };
}

/** Logs `user` in on `running`: the browser, and the session id the app reports. */
async function logIn(running: RunningApp, user: string): Promise<{ browser: CookieClient; sid: string }> {
  const browser = new CookieClient(running.url);
  const response = await browser.request('POST', '/login', { user });
  expect(response.status).toBe(200);
  return { browser, sid: (response.body as { sid: string }).sid };
}

/** The same browser (its cookie) on the switched app, which listens on another port. */
function onApp(browser: CookieClient, running: RunningApp): { request(method: string, path: string): Promise<{ status: number; body: unknown }> } {
  const cookie = browser.cookieHeader();
  return {
    async request(method, path) {
      const response = await fetch(new URL(path, running.url), { method, headers: { cookie } });
      const text = await response.text();
      return { status: response.status, body: (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text };
    },
  };
}

/** Ages a session connect-redis wrote, as if its last request was `idleMs` ago: its cookie's expiry and the key's TTL, as connect-redis's set would have left them. */
async function age(key: string, idleMs: number): Promise<number> {
  const data = JSON.parse((await nodeRedis.get(key)) as string) as { cookie: { expires: string } };
  const expiresAt = Date.now() + MAX_AGE_MS - idleMs;
  data.cookie.expires = new Date(expiresAt).toISOString();
  await nodeRedis.set(key, JSON.stringify(data), { expiration: { type: 'PX', value: expiresAt - Date.now() } });
  return expiresAt;
}

describe('switching a connect-redis 10 app to lapse by its import line', () => {
  it('with a prefix kept: the same cookies are still logged in, each old key is gone, the remaining TTL is kept, events follow', async () => {
    const prefix = `${uniqueNamespace('myapp')}:`;
    const before = await connectRedisApp(prefix);
    const users = await Promise.all(['ada', 'grace', 'alan'].map((user) => logIn(before, user)));
    const [ada, grace, alan] = users as [(typeof users)[number], (typeof users)[number], (typeof users)[number]];
    for (const { sid } of users) expect(await nodeRedis.exists(prefix + sid)).toBe(1);
    const adaExpiresAt = await age(prefix + ada.sid, 50 * 60_000);
    await before.close();

    const after = await lapseApp({ prefix });
    // Not yet used since the switch: not listed, not counted, not cleared.
    expect(await after.store.ids()).toEqual([]);
    expect(await after.store.length()).toBe(0);
    expect(await after.store.all()).toEqual([]);
    await after.store.clear();
    for (const { sid } of users) expect(await nodeRedis.exists(prefix + sid)).toBe(1);
    // The store itself first (no request's touch moves the expiry): the TTL connect-redis left.
    const read = await after.store.get(ada.sid);
    expect(read?.user).toBe('ada');
    const pttl = await nodeRedis.pTTL(after.store.repository.keyspace.of(ada.sid).shadowKey(ada.sid));
    const left = adaExpiresAt - Date.now();
    expect(pttl).toBeLessThanOrEqual(left + 1000);
    expect(pttl).toBeGreaterThan(left - 5000);
    expect(pttl).toBeLessThan(11 * 60_000);

    for (const { browser, sid } of [ada, grace, alan]) {
      const me = await onApp(browser, after.app).request('GET', '/me');
      expect(me.status).toBe(200);
      expect((me.body as { sid: string }).sid).toBe(sid);
      expect(await nodeRedis.exists(prefix + sid)).toBe(0);
    }
    expect((await onApp(grace.browser, after.app).request('GET', '/me')).body).toMatchObject({ user: 'grace' });
    expect((await after.events.next('created', alan.sid)).sessionId).toBe(alan.sid);

    expect((await onApp(alan.browser, after.app).request('POST', '/logout')).status).toBe(200);
    expect((await after.events.next('deleted', alan.sid)).reason).toBe(DeletionReason.destroy);
    expect((await onApp(alan.browser, after.app).request('GET', '/me')).status).toBe(401);
  });

  it("with connect-redis's default prefix (no prefix option on either side): sessions at sess:<id> are found", async () => {
    const before = await connectRedisApp(undefined);
    const { browser, sid } = await logIn(before, 'ada');
    expect(await nodeRedis.exists(CONNECT_REDIS_DEFAULT_PREFIX + sid)).toBe(1);
    await before.close();

    const after = await lapseApp({});
    expect(after.store.migrateFrom).toEqual({ prefix: 'sess:' });
    expect((await onApp(browser, after.app).request('GET', '/me')).body).toMatchObject({ sid, user: 'ada' });
    expect(await nodeRedis.exists(CONNECT_REDIS_DEFAULT_PREFIX + sid)).toBe(0);
    expect(await nodeRedis.exists(after.store.repository.keyspace.of(sid).sessionKey(sid))).toBe(1);
  });

  it('20 concurrent requests with one not yet moved session: all logged in, the session moved once', async () => {
    const prefix = `${uniqueNamespace('myapp')}:`;
    const before = await connectRedisApp(prefix);
    const { browser, sid } = await logIn(before, 'ada');
    await before.close();

    const after = await lapseApp({ prefix });
    const responses = await Promise.all(Array.from({ length: 20 }, () => onApp(browser, after.app).request('GET', '/me')));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(responses.every((response) => (response.body as { user: string }).user === 'ada')).toBe(true);
    expect(await nodeRedis.exists(prefix + sid)).toBe(0);

    await after.events.next('created', sid);
    // Sentinel: a session created after the move; its event arrives after any second one for sid would have.
    const sentinel = await logIn(after.app, 'grace');
    await after.events.next('created', sentinel.sid);
    expect(after.events.of('created', sid)).toHaveLength(1);
  });

  it('two stores on their own clients (two processes) racing for one session: it is moved once', async () => {
    const prefix = `${uniqueNamespace('myapp')}:`;
    const before = await connectRedisApp(prefix);
    const { sid } = await logIn(before, 'ada');
    await before.close();

    const after = await lapseApp({ prefix });
    const otherClient = createClient({ url: redis.handle.url });
    await otherClient.connect();
    const other = new RedisStore({ client: otherClient, prefix, ...(serializerOptions().serializer === undefined ? {} : { repositoryOptions: serializerOptions() }) });
    try {
      const reads = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? after.store : other).get(sid)));
      expect(reads.some((read) => read?.user === 'ada')).toBe(true);
      expect(await nodeRedis.exists(prefix + sid)).toBe(0);
      expect(await other.get(sid)).toMatchObject({ user: 'ada' });

      await after.events.next('created', sid);
      const sentinel = await logIn(after.app, 'grace');
      await after.events.next('created', sentinel.sid);
      expect(after.events.of('created', sid)).toHaveLength(1);
    } finally {
      await other.close();
      await otherClient.quit();
    }
  });

  it('migrateFrom: false: sessions connect-redis wrote are not looked for, nor touched', async () => {
    const prefix = `${uniqueNamespace('myapp')}:`;
    const before = await connectRedisApp(prefix);
    const { browser, sid } = await logIn(before, 'ada');
    const text = await nodeRedis.get(prefix + sid);
    await before.close();

    const after = await lapseApp({ prefix, migrateFrom: false });
    expect(after.store.migrateFrom).toBe(false);
    expect((await onApp(browser, after.app).request('GET', '/me')).status).toBe(401);
    expect(await nodeRedis.get(prefix + sid)).toBe(text);
    expect(await nodeRedis.exists(after.store.repository.keyspace.of(sid).sessionKey(sid))).toBe(0);
  });

  it('migrateFrom: { prefix } reads another prefix than the store writes under', async () => {
    const old = `${uniqueNamespace('old')}:`;
    const before = await connectRedisApp(old);
    const { browser, sid } = await logIn(before, 'ada');
    await before.close();

    const after = await lapseApp({ prefix: `${uniqueNamespace('new')}:`, migrateFrom: { prefix: old } });
    expect((await onApp(browser, after.app).request('GET', '/me')).body).toMatchObject({ sid, user: 'ada' });
    expect(await nodeRedis.exists(old + sid)).toBe(0);
  });

  it('a session whose cookie has no expiry gets the store\'s ttl from the move, as connect-redis\'s next touch would give it', async () => {
    const prefix = `${uniqueNamespace('myapp')}:`;
    const store = new RedisStore({ client: underTest.client, prefix, ttl: 7200, repositoryOptions: { ...serializerOptions(), cleanupCron: null } });
    lapse = store;
    const session = { cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' }, user: 'ada' };
    await nodeRedis.set(`${prefix}browser-session`, JSON.stringify(session), { expiration: { type: 'PX', value: 600_000 } });
    expect(await store.get('browser-session')).toEqual(session);
    const pttl = await nodeRedis.pTTL(store.repository.keyspace.of('browser-session').shadowKey('browser-session'));
    expect(pttl).toBeLessThanOrEqual(7200_000);
    expect(pttl).toBeGreaterThan(7200_000 - 5000);
    expect(await nodeRedis.exists(`${prefix}browser-session`)).toBe(0);
  });

  it('a key that is not a connect-redis session (not a string) is left alone', async () => {
    const prefix = `${uniqueNamespace('myapp')}:`;
    const store = new RedisStore({ client: underTest.client, prefix, repositoryOptions: { ...serializerOptions(), cleanupCron: null } });
    lapse = store;
    await nodeRedis.hSet(`${prefix}notastring`, 'a', '1');
    expect(await store.get('notastring')).toBeNull();
    expect(await nodeRedis.type(`${prefix}notastring`)).toBe('hash');
  });

  it('refuses a migrateFrom it cannot use, naming it', () => {
    const make = (migrateFrom: unknown) => () => new RedisStore({ client: underTest.client, migrateFrom: migrateFrom as never });
    for (const bad of [true, null, 'sess:', { prefix: 3 }, { prefx: 'sess:' }]) {
      expect(make(bad)).toThrow(InvalidArgumentError);
    }
    expect(make({ prefix: 3 })).toThrow(/migrateFrom\.prefix/);
    expect(make(true)).toThrow(/migrateFrom/);
  });
});
