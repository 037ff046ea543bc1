// An express-session app moved from connect-redis to LapseStore by changing only the store
// construction: the same app, the same HTTP requests, the same outcomes, on a real Redis.
import { RedisStore } from 'connect-redis';
import type { SessionData, Store } from 'express-session';
import { createClient } from 'redis';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LapseStore } from '../src/index.js';
import { startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import { CookieClient, cookieExpiry } from './support/CookieClient.js';
import { uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();

/** A store plus what the test needs to look at Redis behind it. */
interface StoreUnderTest {
  readonly store: Store;
  /** Milliseconds until Redis expires the session (negative when it is gone). */
  pttl(sid: string): Promise<number>;
  /** Makes the stored session expire in `seconds`, as if it had been idle. */
  shorten(sid: string, seconds: number): Promise<void>;
  close(): Promise<void>;
}

const kinds: { name: string; make: () => Promise<StoreUnderTest> }[] = [
  {
    name: 'connect-redis 9 + node-redis (before)',
    make: async () => {
      const client = createClient({ url: redis.handle.url });
      await client.connect();
      const prefix = `sess-${randomUUID().slice(0, 8)}:`;
      // before: the store construction of a connect-redis app
      const store = new RedisStore({ client, prefix });
      return {
        store,
        pttl: (sid) => client.pTTL(prefix + sid),
        shorten: async (sid, seconds) => {
          await client.pExpire(prefix + sid, seconds * 1000);
        },
        close: async () => {
          await client.quit();
        },
      };
    },
  },
  {
    name: 'LapseStore + node-redis (after)',
    make: async () => {
      const client = createClient({ url: redis.handle.url });
      await client.connect();
      const prefix = `${uniqueNamespace()}:`;
      // after: the only line that changes
      const store = new LapseStore({ client, prefix });
      const { repository } = store;
      return {
        store,
        pttl: (sid) => client.pTTL(repository.keyspace.of(sid).shadowKey(sid)),
        shorten: async (sid, seconds) => {
          const session = await repository.findById(sid);
          if (session === null) throw new Error(`session ${sid} not found`);
          session.maxInactiveInterval = seconds;
          await repository.save(session);
        },
        close: async () => {
          await store.close();
          await client.quit();
        },
      };
    },
  },
];

/** What the store holds for `sid`, read through the express-session callback API both stores share. */
function stored(store: Store, sid: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(sid, (error: unknown, data) => (error ? reject(error as Error) : resolve(data))));
}

describe.each(kinds)('$name', ({ make }) => {
  let subject: StoreUnderTest | undefined;
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    await subject?.close();
    app = undefined;
    subject = undefined;
  });

  async function start(options: { rolling?: boolean } = {}): Promise<{ store: StoreUnderTest; browser: CookieClient }> {
    subject = await make();
    app = await startSessionApp({ store: subject.store, ...options });
    return { store: subject, browser: new CookieClient(app.url) };
  }

  it('login, session read and logout', async () => {
    const { store, browser } = await start();
    expect((await browser.request('GET', '/me')).status).toBe(401);
    expect(browser.cookie('connect.sid')).toBeUndefined(); // saveUninitialized: false

    const login = await browser.request('POST', '/login', { user: 'ada' });
    expect(login.status).toBe(200);
    const { sid } = login.body as { sid: string };
    expect(browser.cookie('connect.sid')).toContain(encodeURIComponent(`s:${sid}.`));
    // express-session derives originalMaxAge from expires when it reads a session, so allow a few ms.
    const saved = await stored(store.store, sid);
    expect(saved).toMatchObject({ user: 'ada', cookie: { originalMaxAge: expect.any(Number) } });
    expect((saved as { cookie: { originalMaxAge: number } }).cookie.originalMaxAge).toBeGreaterThan(59_000);

    const me = await browser.request('GET', '/me');
    expect(me).toMatchObject({ status: 200, body: { sid, user: 'ada' } });

    expect((await browser.request('POST', '/logout')).status).toBe(200);
    expect(await stored(store.store, sid)).toBeFalsy();
    expect((await browser.request('GET', '/me')).status).toBe(401); // the old cookie no longer works
  });

  it('regenerate (at login) moves the user to a new session id and ends the old session', async () => {
    const { store, browser } = await start();
    const visit = await browser.request('POST', '/visit');
    const anonymous = (visit.body as { sid: string }).sid;
    expect(await stored(store.store, anonymous)).toMatchObject({ visits: 1 });

    const login = await browser.request('POST', '/login', { user: 'bob' });
    const { sid, previous } = login.body as { sid: string; previous: string };
    expect(previous).toBe(anonymous);
    expect(sid).not.toBe(anonymous);
    expect(await stored(store.store, anonymous)).toBeFalsy();
    expect(browser.cookie('connect.sid')).toContain(encodeURIComponent(`s:${sid}.`));
    // express-session's regenerate starts from an empty session.
    expect(await browser.request('GET', '/me')).toMatchObject({ status: 200, body: { sid, user: 'bob', visits: 0 } });
  });

  it('resave: false — an unmodified session is touched, not saved, and its timeout starts again', async () => {
    const { store, browser } = await start();
    const { sid } = (await browser.request('POST', '/login', { user: 'cleo' })).body as { sid: string };
    await store.shorten(sid, 5);
    expect(await store.pttl(sid)).toBeLessThanOrEqual(5000);

    const set = vi.spyOn(store.store, 'set');
    const touch = vi.spyOn(store.store, 'touch');
    const me = await browser.request('GET', '/me');
    expect(me).toMatchObject({ status: 200, body: { user: 'cleo' } });
    expect(touch).toHaveBeenCalledTimes(1);
    expect(set).not.toHaveBeenCalled();
    expect(me.setCookies).toEqual([]); // not rolling: the cookie is not sent again
    expect(await store.pttl(sid)).toBeGreaterThan(55_000);
    expect(await stored(store.store, sid)).toMatchObject({ user: 'cleo' });
  });

  it('rolling: every response renews the cookie and the stored timeout', async () => {
    const { store, browser } = await start({ rolling: true });
    const { sid } = (await browser.request('POST', '/login', { user: 'dan' })).body as { sid: string };
    await store.shorten(sid, 5);

    const before = Date.now();
    const first = await browser.request('GET', '/me');
    expect(first.status).toBe(200);
    expect(first.setCookies).toHaveLength(1);
    const expiry = cookieExpiry(first.setCookies[0] as string);
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 59_000);
    expect(await store.pttl(sid)).toBeGreaterThan(55_000);

    const second = await browser.request('GET', '/me');
    expect(second).toMatchObject({ status: 200, body: { sid, user: 'dan' } });
    expect(cookieExpiry(second.setCookies[0] as string)).toBeGreaterThanOrEqual(expiry);
  });
});
