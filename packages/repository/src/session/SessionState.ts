import type { Session } from './Session.js';
import type { SaveMode } from './SaveMode.js';
import type { SessionIdGenerator } from './SessionIdGenerator.js';

/** Metadata fields of the session hash. */
export type MetadataField = 'creationTime' | 'lastAccessedTime' | 'maxInactiveInterval';

/**
 * What a repository needs to know about a session beyond its public data: whether Redis has
 * it, under which id, and what changed since it was loaded or last saved. Internal: not
 * exported from the package.
 */
export interface SessionState {
  /** The session's attribute map itself (reading it records no access). */
  readonly attributes: ReadonlyMap<string, unknown>;
  /** Not yet saved. */
  isNew: boolean;
  /** The id Redis stores the session under (`null` while new). */
  persistedId: string | null;
  changedMetadata: Set<MetadataField> | null;
  /** Attributes set or removed since the last save. */
  changedAttributes: Set<string> | null;
  /** Attributes read since the last save (for `'on-get-attribute'`). */
  readAttributes: Set<string> | null;
  saveMode: SaveMode;
  /** `lastAccessedTime + maxInactiveInterval` as stored, or `null` (new or never expiring). */
  persistedExpiresAt: number | null;
  /** The principal name as stored, or `null`. */
  persistedPrincipal: string | null;
  readonly idGenerator: SessionIdGenerator;
  /** Makes the new id at `changeSessionId` (`null`: `idGenerator.generate()`). */
  readonly changeId: ((current: string) => string) | null;
  /** Called after every change (used by `flushMode: 'immediate'`). */
  onChange: ((session: Session) => void) | null;
  /** Settles when the last save started has finished (`null`: none in flight); see `SessionSaveQueue`. */
  saveInFlight: Promise<unknown> | null;
}

let readState: ((session: Session) => SessionState | undefined) | null = null;

/**
 * Called once by the `Session` class: how to read a session's state (a private field, so
 * users cannot reach it; a WeakMap entry per session cost the garbage collector measurably).
 */
export function registerSessionStateReader(reader: (session: Session) => SessionState | undefined): void {
  readState = reader;
}

/** The state of a session created by lapse. */
export function sessionState(session: Session): SessionState {
  const state = readState?.(session);
  if (state === undefined) throw new TypeError('not a lapse Session');
  return state;
}

/** The expiry instant of a session's values, or `null` when it never expires. */
export function expiresAtOf(lastAccessedTime: number, maxInactiveInterval: number): number | null {
  return maxInactiveInterval < 0 ? null : lastAccessedTime + maxInactiveInterval * 1000;
}

/** Changes taken by a write in flight; given back if the write fails. */
export interface TakenChanges {
  readonly metadata: readonly MetadataField[];
  readonly attributes: readonly string[];
}

/** Takes the recorded changes, so that changes made while a write is in flight go to the next one. */
export function takeChanges(state: SessionState): TakenChanges {
  const taken = { metadata: [...(state.changedMetadata ?? [])], attributes: [...(state.changedAttributes ?? [])] };
  state.changedMetadata = null;
  state.changedAttributes = null;
  state.readAttributes = null;
  return taken;
}

/** Gives back the changes of a failed write, so the next save writes them again. */
export function restoreChanges(state: SessionState, taken: TakenChanges): void {
  for (const field of taken.metadata) (state.changedMetadata ??= new Set()).add(field);
  for (const name of taken.attributes) (state.changedAttributes ??= new Set()).add(name);
}

/** Records what the store now holds for the session (after a successful write). */
export function markPersisted(session: Session, stored: { id: string; expiresAt: number | null; principal: string | null }): void {
  const state = sessionState(session);
  state.isNew = false;
  state.persistedId = stored.id;
  state.persistedExpiresAt = stored.expiresAt;
  state.persistedPrincipal = stored.principal;
}
