import { CorruptSessionDataError, InvalidArgumentError, reservedSessionIdReason, type RedisIndexedSessionRepository } from '@lapse/repository';
import session, { type SessionData } from 'express-session';
import { ConnectRedisMigration } from './ConnectRedisMigration.js';
import { DeletionReason } from './deletionReasons.js';
import type { LapseStoreOptions, StoreSerializer, TtlOf } from './LapseStoreOptions.js';
import { resolveStoreOptions } from './resolveStoreOptions.js';
import { DEFAULT_COOKIE, SessionCodec } from './SessionCodec.js';
import { StoreSessions } from './StoreSessions.js';
import { settle, type StoreCallback } from './settle.js';
import { checkSessionId, unsafeSessionIdReason } from './storeSessionIds.js';

/** A stored session as `all()` returns it: its data plus its id (connect-redis's shape). */
export type SessionDataWithId = SessionData & { id: string };

/**
 * What `all()` resolves: every live session's data with its `id` (connect-redis's shape), and, in
 * `unreadable` (not enumerable), one `CorruptSessionDataError` (with `sessionId` and `key`) for
 * each live session whose data cannot be read: as the repository's `findByPrincipalName`, a
 * corrupt session does not hide the others.
 */
export type AllSessions = SessionDataWithId[] & { readonly unreadable: CorruptSessionDataError[] };

/** The request `regenerate` and `generate` receive (express's, typed by express-session). */
type StoreRequest = Parameters<session.Store['regenerate']>[0];

/** How many sessions `all` and `clear` handle at once. */
const BATCH_SIZE = 100;

/**
 * An express-session `Store` keeping sessions in lapse's layout (Spring Session's indexed Redis
 * layout), built like connect-redis: `new LapseStore({ client })`, with connect-redis's options
 * (`prefix`, `ttl`, `disableTTL`, `disableTouch`, `serializer`, `scanCount`) meaning the same.
 * lapse's `SessionEventListener` reports each session's creation, deletion and expiry with its
 * data, and the principal index finds and ends every session of a user. Also a
 * @fastify/session store.
 *
 * It reads and writes through the repository (`readSessionHash`, `writeSessionHash`), with its
 * rules: liveness (Redis decides within a minute of the deadline), TTLs, `maxAttributeBytes`,
 * session ids. Per request: `get` is one round trip (HGETALL; a second, EXISTS, within a minute
 * of the deadline; a miss one more, for connect-redis's key, unless `migrateFrom: false`); `set`
 * and `touch` one each (the repository's save scripts, writing only what
 * changed since `get`, refusing atomically to bring back a session that ended meanwhile; a new
 * session takes the id of one that has ended). The hash stays in Redis's compact listpack
 * encoding (the cookie and the principal are stored in short forms).
 *
 * @example
 * ```ts
 * import session from 'express-session';
 * import { LapseStore } from '@lapse/express-session';
 *
 * app.use(session({ store: new LapseStore({ client }), secret: 'keyboard cat', resave: false, saveUninitialized: false }));
 * ```
 */
export class LapseStore extends session.Store {
  /** The repository sessions are kept in (built from `client`, or the one given). */
  readonly repository: RedisIndexedSessionRepository;
  /** The client given (or the repository's). */
  readonly client: object;
  /** connect-redis's prefix: the namespace followed by `:`. */
  readonly prefix: string;
  /** Seconds to live when the cookie has no expiry, or the function deciding it. */
  readonly ttl: number | TtlOf;
  /** Whether sessions never expire in Redis. */
  readonly disableTTL: boolean;
  /** Whether `touch` does nothing. */
  readonly disableTouch: boolean;
  /** connect-redis's serializer (`JSON` unless given). */
  readonly serializer: StoreSerializer;
  /** SCAN `COUNT` of `all`, `length`, `ids`, `clear`. */
  readonly scanCount: number;
  /** Seconds during which a `touch` after the last write sends nothing (0: every touch writes). */
  readonly touchAfter: number;
  /** Where sessions connect-redis wrote are looked for on a miss (`false`: nowhere). */
  readonly migrateFrom: { readonly prefix: string } | false;
  readonly #ownsRepository: boolean;
  readonly #sessions: StoreSessions;
  readonly #migration: ConnectRedisMigration | null;
  #generateId: ((req: StoreRequest) => void) | undefined;

  /** Throws `InvalidArgumentError` for an option it does not know or cannot use. */
  constructor(options: LapseStoreOptions) {
    super();
    const resolved = resolveStoreOptions(options);
    this.repository = resolved.repository;
    this.client = resolved.client;
    this.prefix = resolved.prefix;
    this.ttl = resolved.ttl;
    this.disableTTL = resolved.disableTTL;
    this.disableTouch = resolved.disableTouch;
    this.serializer = resolved.serializer;
    this.scanCount = resolved.scanCount;
    this.touchAfter = resolved.touchAfter;
    this.migrateFrom = resolved.migrateFrom;
    this.#ownsRepository = resolved.ownsRepository;
    const codec = new SessionCodec({
      serializer: this.repository.options.serializer,
      storeSerializer: this.serializer,
      ttl: this.ttl,
      disableTTL: this.disableTTL,
      principal: resolved.principal,
      principalNameResolver: this.repository.options.principalNameResolver,
    });
    const sessions = new StoreSessions(this.repository, codec, this.touchAfter * 1000);
    this.#sessions = sessions;
    this.#migration =
      this.migrateFrom === false
        ? null
        : new ConnectRedisMigration({
            prefix: this.migrateFrom.prefix,
            connection: this.repository.connection,
            parse: (text) => this.serializer.parse(text),
            write: (sid, data) => sessions.set(sid, data),
            read: (sid) => sessions.get(sid),
          });
  }

  /**
   * express-session's id generator, as express-session installs it (`store.generate = …`),
   * checked: an id that would break the key layout throws, so express-session passes the error
   * to `next` before the request goes on (a 500, not a login that is silently never stored).
   */
  get generate(): (req: StoreRequest) => void {
    return (req) => {
      this.#generateId?.call(this, req);
      this.#checkId(req.sessionID);
    };
  }

  set generate(generate: (req: StoreRequest) => void) {
    this.#generateId = generate;
  }

  /**
   * The session's data, or `null` when it is missing, ended, or the id is not one the store can
   * hold. On a miss, a session connect-redis wrote for `sid` (see `migrateFrom`) is moved into
   * lapse's layout and returned.
   */
  override get(sid: string): Promise<SessionData | null>;
  override get(sid: string, callback: StoreCallback<SessionData | null>): Promise<void>;
  override get(sid: string, callback?: StoreCallback<SessionData | null>): Promise<SessionData | null | void> {
    if (!this.#validId(sid)) return settle(Promise.resolve(null), callback);
    const migration = this.#migration;
    const found = this.#sessions.get(sid);
    return settle(migration === null ? found : found.then((data) => data ?? migration.take(sid)), callback);
  }

  /** express-session's `createSession`; the session it makes remembers what `get` read, so `set`/`touch` send only changes. */
  override createSession(req: StoreRequest, data: SessionData): session.Session & SessionData {
    // A session written without a cookie (by another application, or a caller's own `set`): `get`
    // gives it back as it was, and express-session gets the cookie it gives a session that has none.
    const cookie = (data as { cookie?: unknown }).cookie;
    if (cookie === null || typeof cookie !== 'object') (data as { cookie?: unknown }).cookie = { ...DEFAULT_COOKIE };
    const created = super.createSession(req, data);
    this.#sessions.adopt(data, created);
    return created;
  }

  /**
   * Stores the session under `sid` (creating it if needed) with the timeout connect-redis gives
   * it, writing only what changed. A session whose cookie has expired is deleted; one that ended
   * since it was read stays ended. Rejects with `InvalidArgumentError` for an id the store cannot hold.
   */
  override set(sid: string, data: SessionData): Promise<void>;
  override set(sid: string, data: SessionData, callback: StoreCallback<void>): Promise<void>;
  override set(sid: string, data: SessionData, callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#guard(sid, () => this.#sessions.set(sid, data)), callback);
  }

  /**
   * Marks the session as used now (its timeout from its cookie), as connect-redis's `touch`:
   * the stored data stays as it was (a cookie whose expiry follows from the access time moves
   * with it). Does nothing with `disableTouch` or `disableTTL`, for an id the store cannot hold,
   * or when the session is gone.
   */
  override touch(sid: string, data: SessionData): Promise<void>;
  override touch(sid: string, data: SessionData, callback: StoreCallback<void>): Promise<void>;
  override touch(sid: string, data: SessionData, callback?: StoreCallback<void>): Promise<void> {
    if (this.disableTouch || this.disableTTL || !this.#validId(sid)) return settle(Promise.resolve(), callback);
    return settle(this.#sessions.touch(sid, data), callback); // the id was checked just above
  }

  /** Deletes the session; its `deleted` event carries the reason `'destroy'`. */
  override destroy(sid: string): Promise<void>;
  override destroy(sid: string, callback: StoreCallback<void>): Promise<void>;
  override destroy(sid: string, callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#sessions.delete(sid, DeletionReason.destroy), callback);
  }

  /** express-session's `regenerate`; the old session's `deleted` event carries the reason `'regenerate'`. */
  override regenerate(req: StoreRequest, callback: (error?: Error) => void): void {
    const next = (error?: unknown): void => {
      try {
        this.generate(req);
      } catch (thrown) {
        error ??= thrown;
      }
      callback(error === undefined ? undefined : error instanceof Error ? error : new Error(String(error)));
    };
    this.#sessions.delete(req.sessionID, DeletionReason.regenerate).then(() => next(), next);
  }

  /**
   * Every live session's data, each with its `id` added (connect-redis's shape); those whose data
   * cannot be read are left out and listed in `unreadable` ({@link AllSessions}). Uses SCAN, never KEYS.
   */
  override all(): Promise<AllSessions>;
  override all(callback: StoreCallback<AllSessions>): Promise<void>;
  override all(callback?: StoreCallback<AllSessions>): Promise<AllSessions | void> {
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

  /** Deletes every session of the namespace; each `deleted` event carries the reason `'clear'`. */
  override clear(): Promise<void>;
  override clear(callback: StoreCallback<void>): Promise<void>;
  override clear(callback?: StoreCallback<void>): Promise<void> {
    return settle(this.#clear(), callback);
  }

  /** Stops the repository the store built from `client` (its cleanup schedule); the client stays open. Does nothing for a repository given. */
  async close(): Promise<void> {
    if (this.#ownsRepository) await this.repository.close();
  }

  #validId(sid: unknown): sid is string {
    return unsafeSessionIdReason(sid) === null && this.repository.isValidSessionId(sid as string);
  }

  #checkId(sid: unknown): void {
    checkSessionId(sid);
    const reserved = reservedSessionIdReason(sid);
    if (reserved !== null) throw new InvalidArgumentError('sid', `${JSON.stringify(sid)} cannot be a session id: it ${reserved} (check express-session's genid)`);
    if (!this.repository.isValidSessionId(sid)) {
      throw new InvalidArgumentError('sid', `${JSON.stringify(sid.slice(0, 80))} is not a valid session id for the repository's sessionIdGenerator`);
    }
  }

  /** Runs `work` once `sid` is known to be usable (rejects before anything is written otherwise). */
  #guard(sid: string, work: () => Promise<void>): Promise<void> {
    try {
      this.#checkId(sid);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return work();
  }

  /** Every live session's id (SCAN with `scanCount`, on every master of a Cluster), each once. */
  async #ids(): Promise<string[]> {
    const found = new Set<string>();
    for await (const id of this.repository.scanSessionIds(this.scanCount)) found.add(id);
    return [...found];
  }

  async #all(): Promise<AllSessions> {
    const ids = await this.#ids();
    const unreadable: CorruptSessionDataError[] = [];
    const sessions = Object.defineProperty([] as SessionDataWithId[], 'unreadable', { value: unreadable, enumerable: false }) as AllSessions;
    const readable = (id: string): Promise<SessionData | null> =>
      this.#sessions.peek(id).catch((error: unknown) => {
        if (!(error instanceof CorruptSessionDataError)) throw error;
        unreadable.push(error);
        return null;
      });
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      const batch = ids.slice(i, i + BATCH_SIZE);
      const found = await Promise.all(batch.map(readable));
      found.forEach((data, j) => {
        if (data !== null) sessions.push({ ...data, id: batch[j] as string });
      });
    }
    return sessions;
  }

  async #clear(): Promise<void> {
    const ids = await this.#ids();
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      await Promise.all(ids.slice(i, i + BATCH_SIZE).map((id) => this.#sessions.delete(id, DeletionReason.clear)));
    }
  }
}
