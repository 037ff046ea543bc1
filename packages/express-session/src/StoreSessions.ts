import type { RedisIndexedSessionRepository, StoredSessionHash } from '@lapse/repository';
import { expiresAtOf } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import { DeletionReason } from './deletionReasons.js';
import type { CookieValues } from './cookieCodec.js';
import type { SessionCodec, SessionLifetime } from './SessionCodec.js';
import { isAttributeField, StoredSession, storedSessionOf } from './StoredSession.js';
import { touchIsDue } from './lazyTouch.js';
import { unsafeSessionIdReason } from './storeSessionIds.js';

/** A session's lifetime at a write, by the repository clock's `now`, with its cookie as read. */
interface LiveLifetime {
  readonly now: number;
  readonly cookie: CookieValues | null;
  readonly lifetime: SessionLifetime;
}

/** How many recent reads are remembered by id, for callers that save another object than `get` returned (@fastify/session). */
const RECENT_READS = 10_000;
/** How long a read remembered by id is used. */
const RECENT_READ_MS = 30_000;

/**
 * The store's sessions in the repository: `get`, `set`, `touch`, `destroy` as calls of its hash read and write. What `get` read is remembered with the data object it returned
 * (and with the express-session `Session` made from it), and by id until the session's next write
 * (at most {@link RECENT_READ_MS}), so `set` and `touch` send only the fields that changed, in one script, and nothing when nothing
 * changed. Without that memory (a session express-session just generated, or a caller's own
 * object) a write first tries to create the session, and reads it once when it exists.
 */
export class StoreSessions {
  readonly #repository: RedisIndexedSessionRepository;
  readonly #codec: SessionCodec;
  /**
   * The property, of this store's own, under which a data object (or express-session's
   * `Session` made from it) holds what was read or written for it: a symbol, so JSON, `for…in`
   * and express-session's copy of the data skip it. (A `WeakMap` cost a read about 15 % more
   * CPU, most of it in the garbage collector.)
   */
  readonly #mark = Symbol('lapse.stored');
  readonly #recent = new Map<string, StoredSession>();
  /** The store's `touchAfter`, in ms (0: every touch writes). */
  readonly #touchAfterMs: number;

  constructor(repository: RedisIndexedSessionRepository, codec: SessionCodec, touchAfterMs = 0) {
    this.#repository = repository;
    this.#codec = codec;
    this.#touchAfterMs = touchAfterMs;
  }

  /** The live session's data (one HGETALL), or `null`; remembered for the request's `set`/`touch`. */
  get(sid: string): Promise<SessionData | null> {
    // One reaction from the repository's reply to the data (a request's hot path).
    return this.#repository.readSessionHash(sid).then((hash) => {
      const stored = this.#stored(sid, hash);
      if (stored === null) return null;
      const data = this.#codec.toData(sid, this.#keyOf, stored);
      if (data instanceof Promise) {
        return data.then((parsed) => {
          this.#remember(sid, parsed, stored);
          return parsed;
        });
      }
      this.#remember(sid, data, stored);
      return data;
    });
  }

  /** The live session's data, or `null`, not remembered (`all()`: it would push out the sessions in use). */
  peek(sid: string): Promise<SessionData | null> {
    return this.#read(sid).then((stored) => (stored === null ? null : this.#codec.toData(sid, this.#keyOf, stored)));
  }

  /** Remembers for `session` what was read for `data` (express-session's `createSession`). */
  adopt(data: object, session: object): void {
    const stored = this.#storedWith(data);
    if (stored !== undefined) this.#keep(session, stored);
  }

  async set(sid: string, data: SessionData): Promise<void> {
    const live = this.#liveLifetime(data);
    if (live === null) return this.#expired(sid, data);
    const { now, cookie, lifetime } = live;
    const principal = this.#codec.principalOf(data);
    const fields = this.#codec.fieldsOf(data, lifetime, principal, cookie);
    let stored = this.#knownFor(sid, data) ?? this.#recently(sid);
    if (stored === undefined) {
      const created = new Map([this.#codec.creationTimeField(Math.min(now, lifetime.lastAccessedTime)), ...fields]);
      const outcome = await this.#repository.writeSessionHash({
        lastAccessedTime: lifetime.lastAccessedTime,
        maxInactiveInterval: lifetime.maxInactiveInterval,
        previousExpiresAt: null,
        id: sid,
        mode: 'create',
        set: [...created].flat(),
        remove: [],
        principal,
        previousPrincipal: null,
        createdMessage: this.#codec.createdMessage(created),
      });
      if (outcome === 'written') {
        this.#keep(data, new StoredSession(sid, created, lifetime, principal, 0));
      }
      if (outcome !== 'live') return;
      stored = (await this.#read(sid)) ?? undefined;
      if (stored === undefined) return;
    }
    const remove: string[] = [];
    for (const field of stored.fields.keys()) if (isAttributeField(field) && !fields.has(field)) remove.push(field);
    return this.#update(sid, data, stored, fields, remove, lifetime, principal);
  }

  touch(sid: string, data: SessionData): Promise<void> {
    // Not async: a touch that `touchAfter` skips allocates nothing more than its resolved promise.
    try {
      const live = this.#liveLifetime(data);
      if (live === null) return this.#expired(sid, data);
      const known = this.#knownFor(sid, data) ?? this.#recently(sid);
      if (known !== undefined) return this.#touchStored(sid, data, known, live);
      return this.#read(sid).then((stored) => this.#touchStored(sid, data, stored, live));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  #touchStored(sid: string, data: SessionData, stored: StoredSession | null, live: LiveLifetime): Promise<void> {
    const { now, cookie, lifetime } = live;
    if (stored === null || !touchIsDue(stored, lifetime, now, this.#touchAfterMs)) return Promise.resolve();
    return this.#update(sid, data, stored, this.#codec.touchFieldsOf(lifetime, cookie), [], lifetime, stored.principal);
  }

  /** Deletes the session (`deleteById`, so its `deleted` event carries `reason`); ids the store cannot hold are ignored. */
  async delete(sid: string, reason: DeletionReason): Promise<void> {
    if (unsafeSessionIdReason(sid) !== null || !this.#repository.isValidSessionId(sid)) return;
    this.#recent.delete(sid);
    await this.#repository.deleteById(sid, { reason });
  }

  /** The lifetime `data`'s cookie gives at the repository clock's now, with the cookie; `null` when the cookie has expired. */
  #liveLifetime(data: SessionData): LiveLifetime | null {
    const now = this.#repository.options.clock();
    const cookie = this.#codec.cookieOf(data);
    const lifetime = this.#codec.lifetime(data, now, cookie);
    return lifetime === null ? null : { now, cookie, lifetime };
  }

  /** A write of a session whose cookie has expired: deletes it (reason `cookieExpired`). */
  #expired(sid: string, data: SessionData): Promise<void> {
    this.#forget(data);
    return this.delete(sid, DeletionReason.cookieExpired);
  }

  #update(
    sid: string,
    data: object,
    stored: StoredSession,
    fields: ReadonlyMap<string, string>,
    remove: readonly string[],
    lifetime: SessionLifetime,
    principal: string | null,
  ): Promise<void> {
    const set: string[] = [];
    const storedFields = stored.fields;
    fields.forEach((text, field) => {
      if (storedFields.get(field) !== text) set.push(field, text);
    });
    const { lastAccessedTime, maxInactiveInterval } = lifetime;
    const previousExpiresAt = expiresAtOf(stored.lastAccessedTime, stored.maxInactiveInterval);
    const previousPrincipal = stored.principal;
    if (set.length === 0 && remove.length === 0 && expiresAtOf(lifetime.lastAccessedTime, lifetime.maxInactiveInterval) === previousExpiresAt && principal === previousPrincipal) {
      this.#keep(data, stored);
      return Promise.resolve();
    }
    const change = { id: sid, mode: 'update' as const, set, remove, lastAccessedTime, maxInactiveInterval, previousExpiresAt, principal, previousPrincipal };
    return this.#repository.writeSessionHash(change).then((outcome) => {
      if (outcome === 'written') this.#written(sid, data, stored, set, remove, lifetime, principal);
      else {
        this.#forget(data);
        this.#recent.delete(sid);
      }
    });
  }

  /** Records in `stored` what a write of `set`/`remove` made of it. */
  #written(sid: string, data: object, stored: StoredSession, set: readonly string[], remove: readonly string[], lifetime: SessionLifetime, principal: string | null): void {
    const storedFields = stored.fields;
    // What is stored now (the same record for every object that remembers it: last write wins).
    for (let i = 0; i < set.length; i += 2) storedFields.set(set[i] as string, set[i + 1] as string);
    for (const field of remove) storedFields.delete(field);
    stored.lastAccessedTime = lifetime.lastAccessedTime;
    stored.maxInactiveInterval = lifetime.maxInactiveInterval;
    stored.principal = principal;
    // Kept with the object written (a second save of it in the same request sends only what
    // changed since), but no longer by id: the next request reads again, and holding every
    // session of the last seconds would only make the garbage collector's work larger.
    this.#keep(data, stored);
    this.#recent.delete(sid);
  }

  /**
   * Remembers what is stored for `sid`, with `data` (so that two requests of one session, read
   * at once, each write only what they changed since their own read) and (briefly) by id.
   */
  #remember(sid: string, data: object, stored: StoredSession): void {
    this.#keep(data, stored);
    stored.rememberedAt = this.#repository.options.clock();
    if (this.#recent.size >= RECENT_READS && !this.#recent.has(sid)) this.#recent.delete(this.#recent.keys().next().value as string);
    this.#recent.set(sid, stored);
  }

  /** What was read or written for `data` as session `sid` (an object read for another id is not used for this one). */
  #knownFor(sid: string, data: object): StoredSession | undefined {
    const stored = this.#storedWith(data);
    return stored !== undefined && stored.id === sid ? stored : undefined;
  }

  /** What `data` holds under this store's mark, if anything. */
  #storedWith(data: object): StoredSession | undefined {
    const stored: unknown = (data as Record<symbol, unknown>)[this.#mark];
    return stored instanceof StoredSession ? stored : undefined;
  }

  /**
   * Marks `data` with `stored`, in a property that is not enumerable (so `{ ...data }` and
   * `console.log` leave it out); a frozen or sealed object is left unmarked (its next write reads first).
   */
  #keep(data: object, stored: StoredSession): void {
    if (Object.hasOwn(data, this.#mark)) Reflect.set(data, this.#mark, stored);
    else Reflect.defineProperty(data, this.#mark, { value: stored, writable: true, configurable: true, enumerable: false });
  }

  #forget(data: object): void {
    if (this.#storedWith(data) !== undefined) Reflect.set(data, this.#mark, undefined);
  }

  /** What was read or written for `sid` within {@link RECENT_READ_MS}, if anything. */
  #recently(sid: string): StoredSession | undefined {
    const recent = this.#recent.get(sid);
    if (recent === undefined) return undefined;
    if (this.#repository.options.clock() - recent.rememberedAt <= RECENT_READ_MS) return recent;
    this.#recent.delete(sid);
    return undefined;
  }

  /** The hash key of session `sid`, for an error (a read does not build it otherwise). */
  readonly #keyOf = (sid: string): string => this.#repository.keyspace.of(sid).sessionKey(sid);

  #read(sid: string): Promise<StoredSession | null> {
    return this.#repository.readSessionHash(sid).then((hash) => this.#stored(sid, hash));
  }

  /** The store's record of what the repository read for `sid`. */
  #stored(sid: string, hash: StoredSessionHash | null): StoredSession | null {
    return storedSessionOf(sid, this.#keyOf, hash, this.#repository.options.serializer, this.#codec.principalField, this.#repository.options.clock());
  }
}
