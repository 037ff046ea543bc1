import { type RedisIndexedSessionRepository } from '@lapse/repository';
import { expiresAtOf } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import { DeletionReason } from './deletionReasons.js';
import type { CookieValues } from './cookieCodec.js';
import type { SessionCodec, SessionLifetime } from './SessionCodec.js';
import { isAttributeField, storedSessionOf, type StoredSession } from './StoredSession.js';
import { touchIsDue } from './lazyTouch.js';
import { unsafeSessionIdReason } from './storeSessionIds.js';

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
  /** What was read or written for a data object (or express-session's `Session` made from it). */
  readonly #known = new WeakMap<object, StoredSession>();
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
    return this.#read(sid).then((stored) => {
      if (stored === null) return null;
      const data = this.#codec.toData(sid, this.#key(sid), stored);
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
    return this.#read(sid).then((stored) => (stored === null ? null : this.#codec.toData(sid, this.#key(sid), stored)));
  }

  /** Remembers for `session` what was read for `data` (express-session's `createSession`). */
  adopt(data: object, session: object): void {
    const stored = this.#known.get(data);
    if (stored !== undefined) this.#known.set(session, stored);
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
        this.#known.set(data, { id: sid, fields: created, lastAccessedTime: lifetime.lastAccessedTime, maxInactiveInterval: lifetime.maxInactiveInterval, principal, rememberedAt: 0 });
      }
      if (outcome !== 'live') return;
      stored = (await this.#read(sid)) ?? undefined;
      if (stored === undefined) return;
    }
    const remove: string[] = [];
    for (const field of stored.fields.keys()) if (isAttributeField(field) && !fields.has(field)) remove.push(field);
    return this.#update(sid, data, stored, fields, remove, lifetime, principal);
  }

  async touch(sid: string, data: SessionData): Promise<void> {
    const live = this.#liveLifetime(data);
    if (live === null) return this.#expired(sid, data);
    const { now, cookie, lifetime } = live;
    const stored = this.#knownFor(sid, data) ?? this.#recently(sid) ?? (await this.#read(sid));
    if (stored === null || !touchIsDue(stored, lifetime, now, this.#touchAfterMs)) return;
    return this.#update(sid, data, stored, this.#codec.touchFieldsOf(lifetime, cookie), [], lifetime, stored.principal);
  }

  /** Deletes the session (`deleteById`, so its `deleted` event carries `reason`); ids the store cannot hold are ignored. */
  async delete(sid: string, reason: DeletionReason): Promise<void> {
    if (unsafeSessionIdReason(sid) !== null || !this.#repository.isValidSessionId(sid)) return;
    this.#recent.delete(sid);
    await this.#repository.deleteById(sid, { reason });
  }

  /** The lifetime `data`'s cookie gives at the repository clock's now, with the cookie; `null` when the cookie has expired. */
  #liveLifetime(data: SessionData): { now: number; cookie: CookieValues | null; lifetime: SessionLifetime } | null {
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
      this.#known.set(data, stored);
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
    this.#known.set(data, stored);
    this.#recent.delete(sid);
  }

  /** Remembers what is stored for `sid`, with `data` and (briefly) by id. */
  #remember(sid: string, data: object, stored: StoredSession): void {
    this.#known.set(data, stored);
    stored.rememberedAt = this.#repository.options.clock();
    if (this.#recent.size >= RECENT_READS && !this.#recent.has(sid)) this.#recent.delete(this.#recent.keys().next().value as string);
    this.#recent.set(sid, stored);
  }

  /** What was read or written for `data` as session `sid` (an object read for another id is not used for this one). */
  #knownFor(sid: string, data: object): StoredSession | undefined {
    const stored = this.#known.get(data);
    return stored !== undefined && stored.id === sid ? stored : undefined;
  }

  #forget(data: object): void {
    this.#known.delete(data);
  }

  /** What was read or written for `sid` within {@link RECENT_READ_MS}, if anything. */
  #recently(sid: string): StoredSession | undefined {
    const recent = this.#recent.get(sid);
    if (recent === undefined) return undefined;
    if (this.#repository.options.clock() - recent.rememberedAt <= RECENT_READ_MS) return recent;
    this.#recent.delete(sid);
    return undefined;
  }

  #key(sid: string): string {
    return this.#repository.keyspace.of(sid).sessionKey(sid);
  }

  #read(sid: string): Promise<StoredSession | null> {
    return this.#repository
      .readSessionHash(sid)
      .then((hash) => storedSessionOf(sid, this.#key(sid), hash, this.#repository.options.serializer, this.#codec.principalField, this.#repository.options.clock()));
  }
}
