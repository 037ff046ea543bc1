// LapseStore with `principal: 'user'`: the session's own `user` attribute (a string) files it in
// Spring's principal index, with no other field written (the hash of a logged-in session stays
// listpack-encoded and holds only what the app stored); a change of the attribute moves the
// session between index sets, and every end (logout, regenerate, deleteById, "log out
// everywhere", expiry swept by the cleanup) takes it out of the index.
import { LapseStore } from '@lapse/express-session';
import { PRINCIPAL_NAME_INDEX_NAME } from '@lapse/repository';
import { createSessionApp, startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeAttribute, serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';
import { expectExpiryLeavesPrincipalIndex } from './support/expiryLeavesPrincipalIndex.js';
import { openTestClient, type TestClient } from './support/storeClient.js';
import { TEST_EXPIRATION_INDEX } from './support/testRepository.js';

const redis = useRedis();
let admin: Redis;
let opened: TestClient;
let store: LapseStore;
let namespace: string;
let running: RunningApp;
let base: string;

type Data = Record<string, unknown>;

/** The bench's logged-in session: cookie, user, a csrf token of 32 hex characters, locale. */
const CSRF = '0123456789abcdef0123456789abcdef';

beforeEach(async () => {
  admin = redis.client();
  opened = await openTestClient(redis.handle.url);
  namespace = uniqueNamespace('principal-attr');
  store = new LapseStore({
    client: opened.client as never,
    prefix: `${namespace}:`,
    principal: 'user',
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX },
  });
  const app = createSessionApp({
    store,
    secret: 'principal',
    rolling: true,
    cookie: { maxAge: 86_400_000 },
    login: (body) => ({ user: body['user'], csrf: CSRF, locale: 'en-GB' }),
  });
  app.post('/user', (req, res) => {
    const { user } = req.body as { user?: string };
    if (user === undefined) delete (req.session as unknown as Data)['user'];
    else (req.session as unknown as Data)['user'] = user;
    res.send('ok');
  });
  running = await startSessionApp(app);
  base = running.url;
});
afterEach(async () => {
  await running.close();
  await store.close();
  await opened.close();
  admin.disconnect();
});

const indexKey = (name: string): string => `${namespace}:index:${PRINCIPAL_NAME_INDEX_NAME}:${name}`;
const hashKey = (sid: string): string => `${namespace}:sessions:${sid}`;

async function post(path: string, body: object, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie !== undefined) headers['cookie'] = cookie;
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response;
}

async function logIn(user: string, cookie?: string): Promise<{ sid: string; cookie: string }> {
  const response = await post('/login', { user }, cookie);
  return { sid: ((await response.json()) as { sid: string }).sid, cookie: (response.headers.getSetCookie()[0] ?? '').split(';')[0] as string };
}

describe("principal: 'user'", () => {
  it('files a login under its user attribute, writing no field beyond what the app stored; the hash stays listpack', async () => {
    const { sid, cookie } = await logIn('ada.lovelace@example.com');
    expect(await admin.smembers(indexKey('ada.lovelace@example.com'))).toEqual([sid]);
    expect([...(await store.repository.findByPrincipalName('ada.lovelace@example.com')).keys()]).toEqual([sid]);
    const hash = await admin.hgetall(hashKey(sid));
    expect(Object.keys(hash).sort()).toEqual(
      ['creationTime', 'lastAccessedTime', 'maxInactiveInterval', 'sessionAttr:cookie', 'sessionAttr:csrf', 'sessionAttr:locale', 'sessionAttr:user'].sort(),
    );
    expect(decodeAttribute(hash['sessionAttr:user'] ?? '')).toBe('ada.lovelace@example.com');
    expect(await admin.object('ENCODING', hashKey(sid))).toBe('listpack');
    // The attribute stays the app's: read back as it was stored.
    expect(await (await fetch(`${base}/me`, { headers: { cookie } })).json()).toMatchObject({ user: 'ada.lovelace@example.com' });
    expect(await store.get(sid)).toMatchObject({ user: 'ada.lovelace@example.com', csrf: CSRF, locale: 'en-GB' });
  });

  it('a change of the attribute moves the session to the new user\'s index; removing it takes the session out', async () => {
    const { sid, cookie } = await logIn('ada');
    await post('/user', { user: 'grace' }, cookie);
    expect(await admin.exists(indexKey('ada'))).toBe(0);
    expect(await admin.smembers(indexKey('grace'))).toEqual([sid]);
    expect([...(await store.repository.findByPrincipalName('grace')).keys()]).toEqual([sid]);
    await post('/user', {}, cookie);
    expect(await admin.exists(indexKey('grace'))).toBe(0);
    expect((await fetch(`${base}/me`, { headers: { cookie } })).status).toBe(401);
    await post('/user', { user: '' }, cookie);
    expect(await admin.keys(`${namespace}:index:*`)).toEqual([]);
  });

  it('logout (destroy), a new login (regenerate) and deleteById take the session out of the index', async () => {
    const first = await logIn('ada');
    const second = await logIn('ada', first.cookie); // regenerate: the first session ends
    expect(await admin.smembers(indexKey('ada'))).toEqual([second.sid]);
    await post('/logout', {}, second.cookie);
    expect(await admin.exists(indexKey('ada'))).toBe(0);
    const third = await logIn('ada');
    await store.repository.deleteById(third.sid);
    expect(await admin.exists(indexKey('ada'))).toBe(0);
  });

  it('"log out everywhere" ends every session of the user through the index', async () => {
    const phone = await logIn('ada');
    const laptop = await logIn('ada');
    const other = await logIn('bob');
    expect(await store.repository.deleteByPrincipalName('ada')).toBe(2);
    expect(await store.get(phone.sid)).toBeNull();
    expect(await store.get(laptop.sid)).toBeNull();
    expect(await store.get(other.sid)).not.toBeNull();
    expect(await admin.exists(indexKey('ada'))).toBe(0);
  });

  it('an expiry swept by the cleanup leaves the index once the listener records the end', async () => {
    await expectExpiryLeavesPrincipalIndex({ store, listenerRepository: store.repository, admin, indexKey, namespace });
  });

  it('reads a session the function form stored, and drops its lapse.principal field at the next write', async () => {
    const before = new LapseStore({
      client: opened.client as never,
      prefix: `${namespace}:`,
      principal: (data) => (data as unknown as Data)['user'] as string | undefined,
      repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX },
    });
    const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString(), httpOnly: true, path: '/' };
    try {
      await before.set('earlier', { cookie, user: 'ada' } as never);
    } finally {
      await before.close();
    }
    expect(await admin.hexists(hashKey('earlier'), 'sessionAttr:lapse.principal')).toBe(1);
    const data = (await store.get('earlier')) as unknown as Data;
    expect(data).toMatchObject({ user: 'ada' });
    expect(data).not.toHaveProperty('lapse.principal');
    await store.set('earlier', { ...data, locale: 'fr' } as never);
    expect(await admin.hexists(hashKey('earlier'), 'sessionAttr:lapse.principal')).toBe(0);
    expect(await admin.smembers(indexKey('ada'))).toEqual(['earlier']);
    await store.destroy('earlier');
    expect(await admin.exists(indexKey('ada'))).toBe(0);
  });
});
