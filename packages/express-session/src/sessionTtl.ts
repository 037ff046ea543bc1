import type { SessionData } from 'express-session';
import type { TtlOf } from './LapseStoreOptions.js';

/** The parts of a cookie (express-session's or @fastify/session's, live or as JSON) that give a lifetime. */
interface CookieLifetime {
  expires?: unknown;
  originalMaxAge?: unknown;
}

/**
 * The time to live of a session in whole seconds, by connect-redis's rule: a `ttl` function
 * decides alone; otherwise the seconds left until `cookie.expires` (rounded up), else
 * `cookie.originalMaxAge`, else the `ttl` number. Zero or less means the cookie has expired.
 */
export function sessionTtl(data: SessionData, ttl: number | TtlOf, now: number): number {
  if (typeof ttl === 'function') return Math.ceil(ttl(data));
  const cookie = (data as { cookie?: CookieLifetime | null }).cookie;
  if (cookie !== null && typeof cookie === 'object') {
    const expires = cookie.expires;
    if (expires instanceof Date || typeof expires === 'string' || typeof expires === 'number') {
      const at = new Date(expires).getTime();
      if (Number.isFinite(at)) return Math.ceil((at - now) / 1000);
    }
    const maxAge = cookie.originalMaxAge;
    if (typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0) return Math.ceil(maxAge / 1000);
  }
  return ttl;
}
