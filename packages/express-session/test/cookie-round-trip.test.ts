// express-session's own Cookie objects through LapseStore on a real Redis: what `get` gives back
// is what connect-redis gives back (the cookie's JSON), whatever the cookie's settings and
// expiry date, and what the store remembers of a session is never applied to another one.
import { RedisIndexedSessionRepository } from '@lapse/repository';
import session, { type SessionData } from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LapseStore } from '../src/index.js';
import { serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();

let repository: RedisIndexedSessionRepository;
let store: LapseStore;

beforeEach(() => {
  repository = new RedisIndexedSessionRepository(redis.client(), { ...serializerOptions(), namespace: uniqueNamespace(), cleanupCron: null });
  store = new LapseStore({ repository });
});
afterEach(async () => {
  await repository.close();
});

function sid(n: number): string {
  return `cookie${String(n).padStart(4, '0')}`.padEnd(32, 'c');
}

/** A session as express-session hands it to `set`: its own `Cookie`, made from `options`. */
function withCookie(options: Record<string, unknown>, fields: Record<string, unknown> = { user: 'ada' }): SessionData {
  const Cookie = session.Cookie as unknown as new (options: Record<string, unknown>) => session.Cookie;
  return { cookie: new Cookie(options), ...fields } as unknown as SessionData;
}

/** What connect-redis gives back for `data`: its JSON. */
function asJson(data: SessionData): unknown {
  return JSON.parse(JSON.stringify(data));
}

describe("express-session's Cookie", () => {
  const settings: Record<string, Record<string, unknown>> = {
    'express-session defaults with a maxAge': { maxAge: 60_000 },
    'every setting': { maxAge: 90_000, secure: true, httpOnly: false, domain: 'example.org', path: '/app', sameSite: 'lax', partitioned: true, priority: 'high' },
    'a browser-session cookie (no expiry)': {},
    'an expiry date without a maxAge': { expires: new Date(Date.now() + 3_600_000) },
    'a maxAge with a fraction of a millisecond': { maxAge: 60_000.5 },
  };
  for (const [name, options] of Object.entries(settings)) {
    it(`comes back as its JSON: ${name}`, async () => {
      const data = withCookie(options);
      await store.set(sid(1), data);
      expect(await new LapseStore({ repository }).get(sid(1))).toEqual(asJson(data));
    });
  }

  it('comes back with the same expiry text for dates across years, month ends and leap days', async () => {
    const now = Date.now();
    const year = new Date(now).getUTCFullYear() + 1;
    const expiries = [
      Date.UTC(year, 0, 1, 0, 0, 0, 0),
      Date.UTC(year, 1, 28, 23, 59, 59, 999),
      Date.UTC(2028, 1, 29, 12, 30, 5, 7),
      Date.UTC(2100, 1, 28, 23, 59, 59, 90),
      Date.UTC(2100, 2, 1, 0, 0, 0, 1),
      Date.UTC(year, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      now + 1_234_567,
    ];
    for (const [i, expires] of expiries.entries()) {
      // express-session's expiry from a maxAge: stored as derived from lastAccessedTime, given back as text.
      const data = withCookie({ maxAge: expires - Date.now() });
      (data.cookie as unknown as { expires: Date }).expires = new Date(expires);
      (data.cookie as unknown as { originalMaxAge: number }).originalMaxAge = 30_000;
      await store.set(sid(10 + i), data);
      const read = await new LapseStore({ repository }).get(sid(10 + i));
      expect(read?.cookie.expires, new Date(expires).toISOString()).toBe(new Date(expires).toISOString());
      expect(read).toEqual(asJson(data));
    }
  });

  it('a touch with a later expiry gives that expiry back', async () => {
    const data = withCookie({ maxAge: 60_000 });
    await store.set(sid(2), data);
    const read = await store.get(sid(2));
    if (read === null) throw new Error('missing');
    const live = store.createSession({ sessionID: sid(2) } as Parameters<LapseStore['createSession']>[0], read);
    const later = new Date(Date.now() + 120_000);
    live.cookie.expires = later;
    live.cookie.originalMaxAge = 120_000;
    await store.touch(sid(2), live);
    expect((await new LapseStore({ repository }).get(sid(2)))?.cookie.expires).toBe(later.toISOString());
  });
});

describe('what the store remembers of a session', () => {
  it("is not applied to another session: one session's data (or a copy) written under another id stores all of it", async () => {
    await store.set(sid(20), withCookie({ maxAge: 60_000 }, { user: 'ada', cart: [1, 2] }));
    await store.set(sid(21), withCookie({ maxAge: 60_000 }, { user: 'bob' }));
    const ada = await store.get(sid(20));
    await store.get(sid(21));
    if (ada === null) throw new Error('missing');

    // Everything the copy holds is already stored for sid(20): compared with that session,
    // nothing would change; compared with sid(21)'s, the user and the cart do.
    await store.set(sid(21), ada);
    expect(await new LapseStore({ repository }).get(sid(21))).toMatchObject({ user: 'ada', cart: [1, 2] });

    await store.set(sid(22), withCookie({ maxAge: 60_000 }, { user: 'cy' }));
    await store.get(sid(22));
    await store.set(sid(22), { ...ada });
    expect(await new LapseStore({ repository }).get(sid(22))).toMatchObject({ user: 'ada', cart: [1, 2] });
  });
});
