// LapseStore with `principal: 'user'`: the session's own `user` attribute (a string) files it in
// Spring's principal index, with no other field written (the hash of a logged-in session stays
// listpack-encoded and holds only what the app stored); a change of the attribute moves the
// session between index sets, and every end (logout, regenerate, deleteById, "log out
// everywhere", expiry swept by the cleanup) takes it out of the index.
import { createSessionApp } from '@lapse/redis-harness/express';
import { describe, expect, it } from 'vitest';
import { decodeAttribute } from './support/redis.js';
import { expectExpiryLeavesPrincipalIndex } from './support/expiryLeavesPrincipalIndex.js';
import { loggedIn, principalStore, usePrincipalStoreApp } from './support/principalStoreApp.js';

type Data = Record<string, unknown>;

/** The bench's logged-in session: cookie, user, a csrf token of 32 hex characters, locale. */
const CSRF = '0123456789abcdef0123456789abcdef';

const env = usePrincipalStoreApp('principal-attr', 'user', (store) => {
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
  return app;
});
const { indexKey } = env;
const hashKey = (sid: string): string => `${env.namespace}:sessions:${sid}`;

async function post(path: string, body: object, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie !== undefined) headers['cookie'] = cookie;
  const response = await fetch(`${env.base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response;
}

async function logIn(user: string, cookie?: string): Promise<{ sid: string; cookie: string }> {
  return loggedIn(await post('/login', { user }, cookie));
}

describe("principal: 'user'", () => {
  it('files a login under its user attribute, writing no field beyond what the app stored; the hash stays listpack', async () => {
    const { sid, cookie } = await logIn('ada.lovelace@example.com');
    expect(await env.admin.smembers(indexKey('ada.lovelace@example.com'))).toEqual([sid]);
    expect([...(await env.store.repository.findByPrincipalName('ada.lovelace@example.com')).keys()]).toEqual([sid]);
    const hash = await env.admin.hgetall(hashKey(sid));
    expect(Object.keys(hash).sort()).toEqual(
      ['creationTime', 'lastAccessedTime', 'maxInactiveInterval', 'sessionAttr:cookie', 'sessionAttr:csrf', 'sessionAttr:locale', 'sessionAttr:user'].sort(),
    );
    expect(decodeAttribute(hash['sessionAttr:user'] ?? '')).toBe('ada.lovelace@example.com');
    expect(await env.admin.object('ENCODING', hashKey(sid))).toBe('listpack');
    // The attribute stays the app's: read back as it was stored.
    expect(await (await fetch(`${env.base}/me`, { headers: { cookie } })).json()).toMatchObject({ user: 'ada.lovelace@example.com' });
    expect(await env.store.get(sid)).toMatchObject({ user: 'ada.lovelace@example.com', csrf: CSRF, locale: 'en-GB' });
  });

  it('a change of the attribute moves the session to the new user\'s index; removing it takes the session out', async () => {
    const { sid, cookie } = await logIn('ada');
    await post('/user', { user: 'grace' }, cookie);
    expect(await env.admin.exists(indexKey('ada'))).toBe(0);
    expect(await env.admin.smembers(indexKey('grace'))).toEqual([sid]);
    expect([...(await env.store.repository.findByPrincipalName('grace')).keys()]).toEqual([sid]);
    await post('/user', {}, cookie);
    expect(await env.admin.exists(indexKey('grace'))).toBe(0);
    expect((await fetch(`${env.base}/me`, { headers: { cookie } })).status).toBe(401);
    await post('/user', { user: '' }, cookie);
    expect(await env.admin.keys(`${env.namespace}:index:*`)).toEqual([]);
  });

  it('logout (destroy), a new login (regenerate) and deleteById take the session out of the index', async () => {
    const first = await logIn('ada');
    const second = await logIn('ada', first.cookie); // regenerate: the first session ends
    expect(await env.admin.smembers(indexKey('ada'))).toEqual([second.sid]);
    await post('/logout', {}, second.cookie);
    expect(await env.admin.exists(indexKey('ada'))).toBe(0);
    const third = await logIn('ada');
    await env.store.repository.deleteById(third.sid);
    expect(await env.admin.exists(indexKey('ada'))).toBe(0);
  });

  it('"log out everywhere" ends every session of the user through the index', async () => {
    const phone = await logIn('ada');
    const laptop = await logIn('ada');
    const other = await logIn('bob');
    expect(await env.store.repository.deleteByPrincipalName('ada')).toBe(2);
    expect(await env.store.get(phone.sid)).toBeNull();
    expect(await env.store.get(laptop.sid)).toBeNull();
    expect(await env.store.get(other.sid)).not.toBeNull();
    expect(await env.admin.exists(indexKey('ada'))).toBe(0);
  });

  it('an expiry swept by the cleanup leaves the index once the listener records the end', async () => {
    await expectExpiryLeavesPrincipalIndex({ store: env.store, listenerRepository: env.store.repository, admin: env.admin, indexKey, namespace: env.namespace });
  });

  it('reads a session the function form stored, and drops its lapse.principal field at the next write', async () => {
    const before = principalStore(env.opened, env.namespace, (data) => (data as unknown as Data)['user'] as string | undefined);
    const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString(), httpOnly: true, path: '/' };
    try {
      await before.set('earlier', { cookie, user: 'ada' } as never);
    } finally {
      await before.close();
    }
    expect(await env.admin.hexists(hashKey('earlier'), 'sessionAttr:lapse.principal')).toBe(1);
    const data = (await env.store.get('earlier')) as unknown as Data;
    expect(data).toMatchObject({ user: 'ada' });
    expect(data).not.toHaveProperty('lapse.principal');
    await env.store.set('earlier', { ...data, locale: 'fr' } as never);
    expect(await env.admin.hexists(hashKey('earlier'), 'sessionAttr:lapse.principal')).toBe(0);
    expect(await env.admin.smembers(indexKey('ada'))).toEqual(['earlier']);
    await env.store.destroy('earlier');
    expect(await env.admin.exists(indexKey('ada'))).toBe(0);
  });
});
