import { randomBytes } from 'node:crypto';
import session, { type SessionData } from 'express-session';
import { attributesFor, TIMEOUT_SECONDS } from '../session-data.js';

/** An express-session id (its default `genid`: 24 random bytes as base64url). */
export function expressSessionId(): string {
  return randomBytes(24).toString('base64url');
}

/** A logged-in express session as express-session hands it to a store: its Cookie, user, csrf token, locale. */
export function loggedInSession(i: number): SessionData {
  // express-session's Cookie takes its options (its types declare no constructor arguments).
  const Cookie = session.Cookie as unknown as new (options: session.CookieOptions) => session.Cookie;
  const cookie = new Cookie({ maxAge: TIMEOUT_SECONDS * 1000, httpOnly: true, path: '/' });
  return { cookie, ...attributesFor(i) } as unknown as SessionData;
}

/** The store calls as express-session makes them (callback style), as promises. */
export function storeGet(store: session.Store, sid: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(sid, (error: unknown, data?: SessionData | null) => (error ? reject(error as Error) : resolve(data))));
}

export function storeSet(store: session.Store, sid: string, data: SessionData): Promise<void> {
  return new Promise((resolve, reject) => store.set(sid, data, (error?: unknown) => (error ? reject(error as Error) : resolve())));
}

export function storeTouch(store: session.Store, sid: string, data: SessionData): Promise<void> {
  const touch = store.touch;
  if (touch === undefined) return Promise.reject(new Error('the store has no touch'));
  return new Promise((resolve, reject) => touch.call(store, sid, data, (error?: unknown) => (error ? reject(error as Error) : resolve())));
}

/**
 * One request of a logged-in user as express-session runs it with `rolling: true` and
 * `resave: false`: `get`, the session inflated with the store's `createSession`, then (when
 * `change` gives a new csrf token) `set`, else `touch`, after `req.session.touch()` renewed the
 * cookie's expiry. Rejects when the session is not found.
 */
export async function storeRequest(store: session.Store, sid: string, change: string | null): Promise<void> {
  const data = await storeGet(store, sid);
  if (data === null || data === undefined) throw new Error(`store request: session ${sid} not found`);
  const req = { sessionID: sid } as unknown as Parameters<session.Store['createSession']>[0];
  const live = store.createSession(req, data);
  live.touch();
  if (change !== null) {
    (live as unknown as { csrf: string }).csrf = change;
    await storeSet(store, sid, live);
  } else {
    await storeTouch(store, sid, live);
  }
}
