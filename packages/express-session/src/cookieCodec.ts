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

import { isoDate } from './isoDate.js';

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

/**
 * A session's cookie as the store's write path reads it: its JSON object's keys and values,
 * except that `expires` may also be epoch ms (read straight from express-session's `Cookie`,
 * which saves a date → text → date round trip per request).
 */
export type CookieValues = Record<string, unknown>;

const KNOWN = new Set(['originalMaxAge', 'partitioned', 'priority', 'expires', 'secure', 'httpOnly', 'domain', 'path', 'sameSite']);

/** A date's canonical ISO text, as `Date#toISOString` writes it for years 0–9999. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `expires` as epoch ms: a finite number as it is, a date's canonical ISO text parsed, else `null`. */
export function expiresMillis(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** express-session's `Cookie`: the fields its `toJSON` reads. */
interface ExpressSessionCookie {
  readonly originalMaxAge?: unknown;
  readonly partitioned?: unknown;
  readonly priority?: unknown;
  readonly _expires?: unknown;
  readonly secure?: unknown;
  readonly httpOnly?: unknown;
  readonly domain?: unknown;
  readonly path?: unknown;
  readonly sameSite?: unknown;
}

/** Whether `value` is a JSON primitive (what express-session's cookie fields hold). */
function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/**
 * The values of express-session's `Cookie` as its `toJSON` gives them (same keys, in its
 * order, `undefined` left out), `expires` as epoch ms; `null` when a field holds anything but a
 * primitive (then the generic path decides).
 */
function expressSessionCookieValues(c: ExpressSessionCookie): CookieValues | null {
  const values: CookieValues = {};
  const { originalMaxAge, partitioned, priority, _expires: expires, secure, httpOnly, domain, path, sameSite } = c;
  if (!isPrimitive(originalMaxAge) || !isPrimitive(partitioned) || !isPrimitive(priority) || !isPrimitive(secure)) return null;
  if (!isPrimitive(httpOnly) || !isPrimitive(domain) || !isPrimitive(path) || !isPrimitive(sameSite)) return null;
  if (originalMaxAge !== undefined) values['originalMaxAge'] = originalMaxAge;
  if (partitioned !== undefined) values['partitioned'] = partitioned;
  if (priority !== undefined) values['priority'] = priority;
  if (expires instanceof Date) {
    const ms = expires.getTime();
    values['expires'] = Number.isFinite(ms) ? ms : null; // an invalid date's toJSON is null
  } else if (expires === null) values['expires'] = null;
  else if (expires !== undefined) return null;
  if (secure !== undefined) values['secure'] = secure;
  if (httpOnly !== undefined) values['httpOnly'] = httpOnly;
  if (domain !== undefined) values['domain'] = domain;
  if (path !== undefined) values['path'] = path;
  if (sameSite !== undefined) values['sameSite'] = sameSite;
  return values;
}

/**
 * A session's cookie (express-session's `Cookie`, or plain data) as the write path reads it:
 * what its JSON would hold (`undefined` and functions left out, dates as ISO text, or as epoch
 * ms for express-session's own cookie), or `null` when it is not an object.
 */
export function cookieValuesOf(cookie: unknown): CookieValues | null {
  if (cookie === null || typeof cookie !== 'object') return null;
  if ('_expires' in cookie && typeof (cookie as { toJSON?: unknown }).toJSON === 'function') {
    const values = expressSessionCookieValues(cookie as ExpressSessionCookie);
    if (values !== null) return values;
  }
  const source = typeof (cookie as { toJSON?: unknown }).toJSON === 'function' ? (cookie as { toJSON(): unknown }).toJSON() : cookie;
  const json: CookieValues = {};
  for (const key in source as Record<string, unknown>) {
    if (!Object.hasOwn(source as object, key)) continue;
    const value = (source as Record<string, unknown>)[key];
    if (value === undefined || typeof value === 'function') continue;
    if (value instanceof Date) json[key] = value.toJSON();
    else if (value !== null && typeof value === 'object') return JSON.parse(JSON.stringify(source)) as CookieValues;
    else json[key] = value;
  }
  return json;
}

/** The `lastAccessedTime` that makes `expires` derivable, or `null` when the cookie has no such pair. */
export function derivedAccessTime(cookie: CookieValues): number | null {
  const maxAge = cookie['originalMaxAge'];
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge)) return null;
  const expires = expiresMillis(cookie['expires']);
  return expires === null ? null : expires - maxAge;
}

/**
 * The stored form of `cookie` for a session whose `lastAccessedTime` is `accessTime`: the
 * compact array when every key is express-session's, else its JSON object (`expires` as ISO
 * text).
 */
export function encodeCookie(cookie: CookieValues, accessTime: number): unknown {
  for (const key in cookie) {
    if (!KNOWN.has(key)) {
      const expires = cookie['expires'];
      return typeof expires === 'number' ? { ...cookie, expires: new Date(expires).toISOString() } : cookie;
    }
  }
  // Made with generic elements (`null`, the mask's place): an array literal whose earlier arrays
  // held a double (an `expires` in ms) would otherwise be made with double elements, which the v8
  // serializer writes as 8-byte doubles (36 characters for `[149,120000]` instead of 20).
  const stored: unknown[] = [null];
  let mask = 0;
  const originalMaxAge = cookie['originalMaxAge'];
  if (originalMaxAge !== undefined) {
    mask = ORIGINAL_MAX_AGE;
    stored.push(originalMaxAge);
  }
  const expires = cookie['expires'];
  if (expires !== undefined) {
    const ms = expiresMillis(expires);
    if (ms !== null && typeof originalMaxAge === 'number' && ms - originalMaxAge === accessTime) mask |= DERIVED_EXPIRES;
    else {
      mask |= EXPIRES;
      stored.push(ms ?? expires);
    }
  }
  const { secure, httpOnly, domain, path, sameSite, partitioned, priority } = cookie;
  const put = (bit: number, value: unknown): void => {
    mask |= bit;
    stored.push(value);
  };
  if (secure !== undefined) put(SECURE, secure);
  if (httpOnly === true) mask |= HTTP_ONLY_TRUE;
  else if (httpOnly !== undefined) put(HTTP_ONLY, httpOnly);
  if (domain !== undefined) put(DOMAIN, domain);
  if (path === '/') mask |= PATH_ROOT;
  else if (path !== undefined) put(PATH, path);
  if (sameSite !== undefined) put(SAME_SITE, sameSite);
  if (partitioned !== undefined) put(PARTITIONED, partitioned);
  if (priority !== undefined) put(PRIORITY, priority);
  stored[0] = mask;
  return stored;
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
  if ((mask & DERIVED_EXPIRES) !== 0) cookie['expires'] = isoDate(accessTime + (originalMaxAge as number));
  else if ((mask & EXPIRES) !== 0) cookie['expires'] = typeof expires === 'number' ? isoDate(expires) : expires;
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
