/**
 * The compact form of express-session's cookie in the session hash. Its JSON (about 110 bytes)
 * is over Redis's `hash-max-listpack-value` (64), which would turn the whole hash into a
 * hashtable (twice the memory); the compact form is an array `[mask, ...values]` (14 bytes for a
 * default cookie) that gives back exactly the same JSON object.
 *
 * The mask says which keys are present, and `expires` is usually not stored at all: the store
 * writes `lastAccessedTime = expires - originalMaxAge`, so `expires` is a function of
 * `lastAccessedTime` and `originalMaxAge` (bit {@link DERIVED_EXPIRES}), and a rolling request
 * whose only change is the cookie's expiry rewrites no cookie bytes. A cookie with any other
 * key is stored as its JSON object, unchanged.
 */

/** Bits of the mask, in the order the values follow. */
const ORIGINAL_MAX_AGE = 1;
const EXPIRES = 2;
/** `expires` is `lastAccessedTime + originalMaxAge` (no value stored). */
export const DERIVED_EXPIRES = 4;
const SECURE = 8;
const HTTP_ONLY_TRUE = 16;
const HTTP_ONLY = 32;
const DOMAIN = 64;
const PATH_ROOT = 128;
const PATH = 256;
const SAME_SITE = 512;
const PARTITIONED = 1024;
const PRIORITY = 2048;

/** A cookie as JSON gives it (express-session's `Cookie#toJSON`, or what a caller passed). */
export type CookieJson = Record<string, unknown>;

const KNOWN = new Set(['originalMaxAge', 'partitioned', 'priority', 'expires', 'secure', 'httpOnly', 'domain', 'path', 'sameSite']);

/** A date's canonical ISO text, as `Date#toISOString` writes it for years 0–9999. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The last text {@link isoMillis} read (a write reads the same expiry several times). */
let lastIso = '';
let lastMillis: number | null = null;

/** `expires` as epoch ms when it is a date's canonical ISO text, else `null`. */
function isoMillis(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  if (value === lastIso) return lastMillis;
  const ms = ISO.test(value) ? Date.parse(value) : Number.NaN;
  lastIso = value;
  lastMillis = Number.isFinite(ms) ? ms : null;
  return lastMillis;
}

/** The `lastAccessedTime` that makes `expires` derivable, or `null` when the cookie has no such pair. */
export function derivedAccessTime(cookie: CookieJson): number | null {
  const maxAge = cookie['originalMaxAge'];
  const expires = isoMillis(cookie['expires']);
  return typeof maxAge === 'number' && Number.isFinite(maxAge) && expires !== null ? expires - maxAge : null;
}

/**
 * The stored form of `cookie` (its JSON object) for a session whose `lastAccessedTime` is
 * `accessTime`: the compact array when every key is express-session's, else the object.
 */
export function encodeCookie(cookie: CookieJson, accessTime: number): unknown {
  for (const key of Object.keys(cookie)) if (!KNOWN.has(key)) return cookie;
  let mask = 0;
  const values: unknown[] = [];
  const put = (bit: number, value: unknown): void => {
    mask |= bit;
    values.push(value);
  };
  if ('originalMaxAge' in cookie) put(ORIGINAL_MAX_AGE, cookie['originalMaxAge']);
  if ('expires' in cookie) {
    const expires = cookie['expires'];
    const ms = isoMillis(expires);
    if (ms !== null && derivedAccessTime(cookie) === accessTime) mask |= DERIVED_EXPIRES;
    else put(EXPIRES, ms ?? expires);
  }
  if ('secure' in cookie) put(SECURE, cookie['secure']);
  if (cookie['httpOnly'] === true) mask |= HTTP_ONLY_TRUE;
  else if ('httpOnly' in cookie) put(HTTP_ONLY, cookie['httpOnly']);
  if ('domain' in cookie) put(DOMAIN, cookie['domain']);
  if (cookie['path'] === '/') mask |= PATH_ROOT;
  else if ('path' in cookie) put(PATH, cookie['path']);
  if ('sameSite' in cookie) put(SAME_SITE, cookie['sameSite']);
  if ('partitioned' in cookie) put(PARTITIONED, cookie['partitioned']);
  if ('priority' in cookie) put(PRIORITY, cookie['priority']);
  return [mask, ...values];
}

/** The cookie's JSON object from its stored form (keys in express-session's order). */
export function decodeCookie(stored: unknown, accessTime: number): unknown {
  if (!Array.isArray(stored) || typeof stored[0] !== 'number') return stored;
  const mask = stored[0];
  let at = 1;
  const originalMaxAge = (mask & ORIGINAL_MAX_AGE) !== 0 ? stored[at++] : undefined;
  const expires = (mask & EXPIRES) !== 0 ? stored[at++] : undefined;
  const secure = (mask & SECURE) !== 0 ? stored[at++] : undefined;
  const httpOnly = (mask & HTTP_ONLY) !== 0 ? stored[at++] : undefined;
  const domain = (mask & DOMAIN) !== 0 ? stored[at++] : undefined;
  const path = (mask & PATH) !== 0 ? stored[at++] : undefined;
  const sameSite = (mask & SAME_SITE) !== 0 ? stored[at++] : undefined;
  const partitioned = (mask & PARTITIONED) !== 0 ? stored[at++] : undefined;
  const priority = (mask & PRIORITY) !== 0 ? stored[at++] : undefined;
  const cookie: CookieJson = {};
  if ((mask & ORIGINAL_MAX_AGE) !== 0) cookie['originalMaxAge'] = originalMaxAge;
  if ((mask & PARTITIONED) !== 0) cookie['partitioned'] = partitioned;
  if ((mask & PRIORITY) !== 0) cookie['priority'] = priority;
  if ((mask & DERIVED_EXPIRES) !== 0) cookie['expires'] = new Date(accessTime + (originalMaxAge as number)).toISOString();
  else if ((mask & EXPIRES) !== 0) cookie['expires'] = typeof expires === 'number' ? new Date(expires).toISOString() : expires;
  if ((mask & SECURE) !== 0) cookie['secure'] = secure;
  if ((mask & HTTP_ONLY_TRUE) !== 0) cookie['httpOnly'] = true;
  else if ((mask & HTTP_ONLY) !== 0) cookie['httpOnly'] = httpOnly;
  if ((mask & DOMAIN) !== 0) cookie['domain'] = domain;
  if ((mask & PATH_ROOT) !== 0) cookie['path'] = '/';
  else if ((mask & PATH) !== 0) cookie['path'] = path;
  if ((mask & SAME_SITE) !== 0) cookie['sameSite'] = sameSite;
  return cookie;
}

/**
 * The express-session cookie (its JSON object) of a session as lapse's repository and events
 * give it (`session.getAttribute('cookie')` holds the store's compact form), or `null`.
 *
 * @example
 * ```ts
 * listener.on('expired', ({ session }) => console.log(session && sessionCookie(session)?.expires));
 * ```
 */
export function sessionCookie(session: { readonly lastAccessedTime: number; getAttribute(name: string): unknown }): CookieJson | null {
  const cookie = decodeCookie(session.getAttribute('cookie'), session.lastAccessedTime);
  return cookie !== null && typeof cookie === 'object' && !Array.isArray(cookie) ? (cookie as CookieJson) : null;
}
