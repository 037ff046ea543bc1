// The compact cookie form, without Redis: what is stored for express-session's cookies and that
// it gives the same JSON back.
import { describe, expect, it } from 'vitest';
import { decodeCookie, derivedAccessTime, encodeCookie, expiresMillis, sessionCookie } from '../../src/cookieCodec.js';

const DAY = 86_400_000;
const lastAccess = Date.UTC(2026, 11, 4, 12, 0, 0);
const defaultCookie = { originalMaxAge: DAY, expires: new Date(lastAccess + DAY).toISOString(), httpOnly: true, path: '/' };

describe('cookie codec', () => {
  it("stores express-session's default cookie as [mask, originalMaxAge] with expires derived from lastAccessedTime", () => {
    const stored = encodeCookie(defaultCookie, lastAccess);
    expect(stored).toEqual([149, DAY]);
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(14);
    expect(decodeCookie(stored, lastAccess)).toEqual(defaultCookie);
  });

  it('stores expires when it is not lastAccessedTime + originalMaxAge, and gives it back as ISO text', () => {
    const cookie = { ...defaultCookie, expires: new Date(lastAccess + DAY + 5).toISOString() };
    const stored = encodeCookie(cookie, lastAccess);
    expect(decodeCookie(stored, lastAccess)).toEqual(cookie);
  });

  it('round-trips every field express-session writes, in its key order', () => {
    const cookie = {
      originalMaxAge: 1000,
      partitioned: true,
      priority: 'high',
      expires: new Date(lastAccess + 1000).toISOString(),
      secure: true,
      httpOnly: false,
      domain: 'example.org',
      path: '/app',
      sameSite: 'strict',
    };
    const decoded = decodeCookie(encodeCookie(cookie, lastAccess), lastAccess);
    expect(decoded).toEqual(cookie);
    expect(Object.keys(decoded as object)).toEqual(Object.keys(cookie));
  });

  it('keeps a cookie with a key of its own as its JSON object, unchanged', () => {
    const cookie = { ...defaultCookie, custom: 'x' };
    expect(encodeCookie(cookie, lastAccess)).toEqual(cookie);
    expect(decodeCookie(cookie, lastAccess)).toEqual(cookie);
  });

  it('reads expires as epoch ms from a number or canonical ISO text only', () => {
    expect(expiresMillis(5)).toBe(5);
    expect(expiresMillis('2026-12-04T12:00:00.000Z')).toBe(lastAccess);
    expect(expiresMillis('yesterday')).toBeNull();
    expect(expiresMillis(Number.NaN)).toBeNull();
    expect(derivedAccessTime(defaultCookie)).toBe(lastAccess);
    expect(derivedAccessTime({ expires: null })).toBeNull();
  });

  it("gives the cookie's JSON of a session as the repository returns it, or null without one", () => {
    const withCookie = { lastAccessedTime: lastAccess, getAttribute: (name: string) => (name === 'cookie' ? [149, DAY] : undefined) };
    expect(sessionCookie(withCookie)).toEqual(defaultCookie);
    expect(sessionCookie({ lastAccessedTime: lastAccess, getAttribute: () => undefined })).toBeNull();
  });
});
