import type { FoundSessions } from './session/FoundSessions.js';
import type { Session } from './session/Session.js';

/**
 * What every lapse repository offers (Spring's `FindByIndexNameSessionRepository`):
 * {@link RedisIndexedSessionRepository} in Redis, {@link MapSessionRepository} in memory.
 */
export interface SessionRepository {
  /**
   * A new session, with the default timeout unless `options` say otherwise. Not stored until
   * saved (unless `flushMode: 'immediate'`).
   */
  createSession(options?: CreateSessionOptions): Promise<Session>;
  /**
   * Stores what changed. Resolves `true` when stored (or nothing changed), `false` when the
   * session was deleted or expired meanwhile: then nothing is written, and it stays gone.
   * A new session is likewise not written (`false`) over an id that is stored or whose
   * session ended within the last 5 minutes.
   */
  save(session: Session): Promise<boolean>;
  /** The live session, or `null` when it is missing, expired, deleted or the id is invalid. */
  findById(id: string): Promise<Session | null>;
  /**
   * Deletes the session (a `deleted` event follows, carrying `options.reason`). No-op for
   * unknown or invalid ids.
   */
  deleteById(id: string, options?: DeleteOptions): Promise<void>;
  /**
   * Deletes every session of a principal ("log out everywhere"), those whose data cannot be
   * read included; resolves with how many ended, rejects only when the store fails.
   */
  deleteByPrincipalName(principalName: string, options?: DeleteOptions): Promise<number>;
  /**
   * Sessions filed under `value` in the index `indexName` (only the principal index exists), by
   * id; live ones whose data cannot be read are reported in the map's `unreadable` list.
   */
  findByIndexNameAndIndexValue(indexName: string, indexValue: string): Promise<FoundSessions>;
  /** Sessions of one principal (user), by id, and in `unreadable` those that cannot be read. */
  findByPrincipalName(principalName: string): Promise<FoundSessions>;
  /** Whether `id` could be a session id of this repository (an invalid one is never looked up). */
  isValidSessionId(id: string): boolean;
  /** The ids of every stored session (live or in its grace period), in no order, without blocking Redis (SCAN). */
  scanSessionIds(): AsyncIterable<string>;
  /** One cleanup sweep now; resolves with how many due sessions it touched. */
  cleanupExpiredSessions(): Promise<number>;
  /** Stops the cleanup schedule. Leaves any connection given by the caller open. */
  close(): Promise<void>;
}

/** Options of `createSession`. */
export interface CreateSessionOptions {
  /**
   * The id, for frameworks that choose it themselves (express-session). It must pass the
   * repository's `sessionIdGenerator.isValid`. Default: a new id from the generator.
   */
  id?: string;
  /** Seconds; default `defaultMaxInactiveInterval`. */
  maxInactiveInterval?: number;
}

/** How a deletion is described to event listeners. */
export interface DeleteOptions {
  /**
   * Why the session ends, delivered as the `deleted` event's `reason` (for example `'logout'`,
   * `'regenerate'`). At most 200 characters.
   */
  reason?: string;
}

/** The kinds of session event. */
export type SessionEventType = 'created' | 'deleted' | 'expired';

/** One session event: what happened, to which id, and the session's last stored state. */
export interface SessionLifecycleEvent {
  readonly type: SessionEventType;
  readonly sessionId: string;
  /** The session as last stored, with its attributes; `null` only when it can no longer be read. */
  readonly session: Session | null;
  /** For `deleted`: the reason given to `deleteById`, if any. */
  readonly reason?: string;
}

/** A repository that produces its events in-process (no Redis), such as {@link MapSessionRepository}. */
export interface LocalSessionEventSource {
  /** Calls `handler` for every event until the returned function is called. */
  addSessionEventHandler(handler: (event: SessionLifecycleEvent) => void): () => void;
}

/** Whether a repository produces its events in-process. */
export function isLocalSessionEventSource(value: unknown): value is LocalSessionEventSource {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<LocalSessionEventSource>).addSessionEventHandler === 'function'
  );
}
