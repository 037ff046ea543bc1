import { PRINCIPAL_NAME_INDEX_NAME, type Session } from '@lapse/repository';
import type { SessionData } from 'express-session';

/** The cookie express-session gives a session that has none (one created by another application). */
const DEFAULT_COOKIE = Object.freeze({ originalMaxAge: null, expires: null, httpOnly: true, path: '/' });

/**
 * The express-session data of a lapse session: one top-level key per attribute, `cookie`
 * as stored. Leaves out the principal attribute when the store manages it.
 */
export function toSessionData(session: Session, managesPrincipal: boolean): SessionData {
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(session.toJSON().attributes)) {
    if (managesPrincipal && name === PRINCIPAL_NAME_INDEX_NAME) continue;
    data[name] = value;
  }
  const cookie = data['cookie'];
  if (cookie === null || typeof cookie !== 'object') data['cookie'] = { ...DEFAULT_COOKIE };
  return data as unknown as SessionData;
}

/**
 * Writes express-session data into a lapse session: each top-level key becomes an attribute
 * (stored as its JSON value, so `cookie` is kept verbatim as `toJSON` gives it), keys that are
 * gone are removed, and only values whose JSON changed are set, so a save writes only those.
 * `principal` (when the store manages it) goes to `PRINCIPAL_NAME_INDEX_NAME`.
 */
export function applySessionData(session: Session, data: SessionData, principal: string | null | undefined, managesPrincipal: boolean): void {
  const plain = JSON.parse(JSON.stringify(data) ?? '{}') as Record<string, unknown>;
  const stored = session.toJSON().attributes;
  for (const [name, value] of Object.entries(plain)) {
    if (managesPrincipal && name === PRINCIPAL_NAME_INDEX_NAME) continue;
    if (value === null) {
      if (name in stored) session.removeAttribute(name);
    } else if (JSON.stringify(value) !== JSON.stringify(stored[name])) {
      session.setAttribute(name, value);
    }
  }
  for (const name of Object.keys(stored)) {
    if (managesPrincipal && name === PRINCIPAL_NAME_INDEX_NAME) continue;
    if (!Object.hasOwn(plain, name)) session.removeAttribute(name);
  }
  if (managesPrincipal) {
    const next = typeof principal === 'string' && principal.length > 0 ? principal : null;
    if (next !== (stored[PRINCIPAL_NAME_INDEX_NAME] ?? null)) session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, next);
  }
}
