import { InvalidArgumentError, type RedisIndexedSessionRepository, type Session } from '@lapse/repository';
import session, { type SessionData } from 'express-session';
import { DeletionReason } from './deletionReasons.js';
import { DEFAULT_TTL_SECONDS, type LapseStoreOptions, type PrincipalOf, type TtlOf } from './LapseStoreOptions.js';
import { applySessionData, toSessionData } from './sessionAttributes.js';
import { sessionTtl } from './sessionTtl.js';
import { settle, type StoreCallback } from './settle.js';

/** A stored session as `all()` returns it: its data plus its id (connect-redis's shape). */
export type SessionDataWithId = SessionData & { id: string };

/** The request `regenerate` receives (express's, typed by express-session). */
type RegenerateRequest = Parameters<session.Store['regenerate']>[0];

/** How many sessions `all` and `clear` handle at once. */
const BATCH_SIZE = 100;

/**
 * An express-session `Store` on a lapse {@link RedisIndexedSessionRepository}: sessions live
 * in Spring Session's indexed Redis layout, so lapse's `SessionEventListener` reports their
 * creation, deletion and expiry (with the data), and the principal index lets you find and end
 * every session of a user. Also usable as a @fastify/session store.
 *
 * Each top-level key of the session becomes a session attribute (`cookie` included, as its
 * JSON), the session id is express-session's, and the inactivity timeout is taken from the
 * cookie as connect-redis does. Every method takes an optional callback and returns a promise.
 *
 * What differs from connect-redis: a session that ended meanwhile (logout elsewhere,
 * expiry, "log out everywhere") is never brought back by a request that was still running;
 * `regenerate` deletes the old session with the reason `'regenerate'` instead of `'destroy'`;
 * keys whose value is `null` are not stored (lapse attributes cannot be null).
 *
 * @example
 * ```ts
 * import session from 'express-session';
 * import { LapseStore } from '@lapse/express-session';
 *
 * const repository = new RedisIndexedSessionRepository(new Redis());
 * app.use(session({
 *   store: new LapseStore({ repository, principal: (data) => data.user }),
 *   secret: 'keyboard cat',
 *   resave: false,
 *   saveUninitialized: false,
 * }));
 * ```
 */
export class LapseStore extends session.Store {
  /** The repository sessions are kept in. */
  readonly repository: RedisIndexedSessionRepository;
  readonly #ttl: number | TtlOf;
  readonly #principal: PrincipalOf | undefined;
  readonly #disableTouch: boolean;

  /** Throws `InvalidArgumentError` for options it cannot use. */
  constructor(options: LapseStoreOptions) {
    super();
    const repository = options?.repository;
    if (repository === null || typeof repository !== 'object' || typeof repository.findById !== 'function') {
      throw new InvalidArgumentError('repository', 'must be a RedisIndexedSessionRepository');
    }
    const ttl = options.ttl ?? DEFAULT_TTL_SECONDS;
    if (typeof ttl !== 'function' && (typeof ttl !== 'number' || !Number.isFinite(ttl))) {
      throw new InvalidArgumentError('ttl', `must be a number of seconds or a function, got ${String(ttl)}`);
    }
    if (options.principal !== undefined && typeof options.principal !== 'function') {
      throw new InvalidArgumentError('principal', 'must be a function of the session data');
    }
    this.repository = repository;
    this.#ttl = ttl;
    this.#principal = options.principal;
    this.#disableTouch = options.disableTouch === true;
  }

  /** The session's data, or `null` when it is missing, ended, or the id is not a valid lapse id. */
  override get(sid: string): Promise<SessionData | null>;
  override get(sid: string, callback: StoreCallback<SessionData | null>): Promise<void>;
  override get(sid: string, callback?: StoreCallback<SessionData | null>): Promise<SessionData | null | void> {
    return settle(this.#get(sid), callback);
  }

  /**
   * Stores the session (creating it under `sid` if needed) with the timeout its cookie gives,
   * writing only the keys that changed. A session whose cookie has expired is deleted. A
   * session that ended since it was loaded stays ended. Rejects with `InvalidArgumentError`
   * when `sid` is not a valid lapse id.
   */
  override set(sid: string, data: SessionData): Promise<void>;
  override set(sid: string, data: SessionData, callback: StoreCallback<void>): Promise<void>;
  override set(sid: string, data: SessionData, callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#set(sid, data), callback);
  }

  /**
   * Marks the session as used now: resets its inactivity timer to what the cookie gives and
   * stores the renewed cookie (express-session calls it instead of `set` when nothing
   * changed). Does nothing with `disableTouch`, or when the session is gone.
   */
  override touch(sid: string, data: SessionData): Promise<void>;
  override touch(sid: string, data: SessionData, callback: StoreCallback<void>): Promise<void>;
  override touch(sid: string, data: SessionData, callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#touch(sid, data), callback);
  }

  /** Deletes the session; its `deleted` event carries the reason `'destroy'`. */
  override destroy(sid: string): Promise<void>;
  override destroy(sid: string, callback: StoreCallback<void>): Promise<void>;
  override destroy(sid: string, callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#delete(sid, DeletionReason.destroy), callback);
  }

  /**
   * express-session's `regenerate` (what passport does at every login), except that the old
   * session's `deleted` event carries the reason `'regenerate'`, not `'destroy'`.
   */
  override regenerate(req: RegenerateRequest, callback: (error?: Error) => void): void {
    const generate = (this as unknown as { generate?: (req: RegenerateRequest) => void }).generate;
    this.#delete(req.sessionID, DeletionReason.regenerate).then(
      () => {
        generate?.call(this, req);
        callback();
      },
      (error: unknown) => {
        generate?.call(this, req);
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** Every live session's data, each with its `id` added (connect-redis's shape). Uses SCAN, never KEYS. */
  override all(): Promise<SessionDataWithId[]>;
  override all(callback: StoreCallback<SessionDataWithId[]>): Promise<void>;
  override all(callback?: StoreCallback<SessionDataWithId[]>): Promise<SessionDataWithId[] | void> {
    return settle(this.#all(), callback);
  }

  /** How many sessions are live. */
  override length(): Promise<number>;
  override length(callback: StoreCallback<number>): Promise<void>;
  override length(callback?: StoreCallback<number>): Promise<number | void> {
    return settle(this.#ids().then((ids) => ids.length), callback);
  }

  /** The ids of every live session (connect-redis's `ids`). */
  ids(): Promise<string[]>;
  ids(callback: StoreCallback<string[]>): Promise<void>;
  ids(callback?: StoreCallback<string[]>): Promise<string[] | void> {
    return settle(this.#ids(), callback);
  }

  /** Deletes every session of the repository; each `deleted` event carries the reason `'clear'`. */
  override clear(): Promise<void>;
  override clear(callback: StoreCallback<void>): Promise<void>;
  override clear(callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#clear(), callback);
  }

  async #get(sid: string): Promise<SessionData | null> {
    const found = await this.repository.findById(sid);
    return found === null ? null : toSessionData(found, this.#principal !== undefined);
  }

  async #set(sid: string, data: SessionData): Promise<void> {
    if (!this.repository.isValidSessionId(sid)) {
      throw new InvalidArgumentError('sid', `${JSON.stringify(String(sid).slice(0, 80))} is not a valid session id for the repository`);
    }
    const ttl = this.#ttlOf(data);
    if (ttl <= 0) {
      await this.#delete(sid, DeletionReason.cookieExpired);
      return;
    }
    let stored = await this.repository.findById(sid);
    if (stored === null) {
      // The first save refuses (atomically) an id whose session ended within the grace period.
      stored = await this.repository.createSession({ id: sid, maxInactiveInterval: ttl });
    } else {
      this.#renew(stored, ttl);
    }
    const principal = this.#principal?.(data);
    applySessionData(stored, data, principal, this.#principal !== undefined);
    await this.repository.save(stored);
  }

  async #touch(sid: string, data: SessionData): Promise<void> {
    if (this.#disableTouch) return;
    const ttl = this.#ttlOf(data);
    if (ttl <= 0) {
      await this.#delete(sid, DeletionReason.cookieExpired);
      return;
    }
    const stored = await this.repository.findById(sid);
    if (stored === null) return;
    this.#renew(stored, ttl);
    const cookie = JSON.stringify((data as { cookie?: unknown }).cookie ?? null) as string | undefined;
    if (cookie !== undefined && cookie !== 'null' && cookie !== JSON.stringify(stored.getAttribute('cookie') ?? null)) {
      stored.setAttribute('cookie', JSON.parse(cookie) as unknown);
    }
    await this.repository.save(stored);
  }

  async #delete(sid: string, reason: DeletionReason): Promise<void> {
    if (typeof sid !== 'string' || !this.repository.isValidSessionId(sid)) return;
    await this.repository.deleteById(sid, { reason });
  }

  async #all(): Promise<SessionDataWithId[]> {
    const ids = await this.#ids();
    const sessions: SessionDataWithId[] = [];
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      const found = await Promise.all(ids.slice(i, i + BATCH_SIZE).map((id) => this.repository.findById(id)));
      for (const stored of found) {
        if (stored !== null) sessions.push({ ...toSessionData(stored, this.#principal !== undefined), id: stored.id });
      }
    }
    return sessions;
  }

  async #ids(): Promise<string[]> {
    const ids = new Set<string>();
    for await (const id of this.repository.scanSessionIds()) ids.add(id);
    return [...ids];
  }

  async #clear(): Promise<void> {
    const ids = await this.#ids();
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      await Promise.all(ids.slice(i, i + BATCH_SIZE).map((id) => this.repository.deleteById(id, { reason: DeletionReason.clear })));
    }
  }

  #renew(stored: Session, ttl: number): void {
    stored.lastAccessedTime = Date.now();
    if (stored.maxInactiveInterval !== ttl) stored.maxInactiveInterval = ttl;
  }

  #ttlOf(data: SessionData): number {
    const ttl = sessionTtl(data, this.#ttl, Date.now());
    if (!Number.isFinite(ttl)) throw new InvalidArgumentError('ttl', `gave ${String(ttl)} seconds, not a finite number`);
    return Math.ceil(ttl);
  }
}
