import { type RedisIndexedSessionRepository, type SessionHashStore, type SessionHashWrite } from '@lapse/repository';
import type { SessionData } from 'express-session';
import { DeletionReason } from './deletionReasons.js';
import type { SessionCodec, SessionLifetime } from './SessionCodec.js';
import { expiresAtOf, isAttributeField, readStoredSession, type StoredSession } from './StoredSession.js';
import { unsafeSessionIdReason } from './storeSessionIds.js';

/**
 * The store's reads and writes. What `get` read is remembered with the data object it returned
 * (and with the express-session `Session` made from it), so `set` and `touch` send only the
 * fields that changed, in one script, and nothing when nothing changed. Without that memory
 * (a session express-session just generated, or a caller's own object) a write first tries to
 * create the session, and reads it once when it turns out to exist.
 */
export class SessionWriter {
  readonly #repository: RedisIndexedSessionRepository;
  readonly #hashes: SessionHashStore;
  readonly #codec: SessionCodec;
  readonly #known = new WeakMap<object, StoredSession>();

  constructor(repository: RedisIndexedSessionRepository, hashes: SessionHashStore, codec: SessionCodec) {
    this.#repository = repository;
    this.#hashes = hashes;
    this.#codec = codec;
  }

  /** The live session's data (one HGETALL), or `null`. */
  async get(sid: string): Promise<SessionData | null> {
    const stored = await this.#read(sid);
    if (stored === null) return null;
    const data = await this.#codec.toData(sid, this.#key(sid), stored);
    this.#known.set(data, stored);
    return data;
  }

  /** Remembers for `session` what was read for `data` (express-session's `createSession`). */
  adopt(data: object, session: object): void {
    const stored = this.#known.get(data);
    if (stored !== undefined) this.#known.set(session, stored);
  }

  async set(sid: string, data: SessionData): Promise<void> {
    const now = this.#repository.options.clock();
    const lifetime = this.#codec.lifetime(data, now);
    if (lifetime === null) {
      this.#known.delete(data);
      await this.delete(sid, DeletionReason.cookieExpired);
      return;
    }
    const principal = this.#codec.principalOf(data);
    const fields = this.#codec.fieldsOf(data, lifetime, principal);
    let stored = this.#known.get(data);
    if (stored === undefined) {
      const created = new Map([this.#codec.creationTimeField(Math.min(now, lifetime.lastAccessedTime)), ...fields]);
      const outcome = await this.#hashes.write({
        ...this.#expiry(null, lifetime),
        id: sid,
        mode: 'create',
        set: [...created].flat(),
        remove: [],
        principal,
        previousPrincipal: null,
        createdMessage: this.#codec.createdMessage(created),
      });
      if (outcome === 'written') this.#known.set(data, { fields: created, ...lifetime, principal });
      if (outcome !== 'live') return;
      stored = (await this.#read(sid)) ?? undefined;
      if (stored === undefined) return;
    }
    const remove: string[] = [];
    for (const field of stored.fields.keys()) if (isAttributeField(field) && !fields.has(field)) remove.push(field);
    await this.#update(sid, data, stored, fields, remove, lifetime, principal);
  }

  async touch(sid: string, data: SessionData): Promise<void> {
    const now = this.#repository.options.clock();
    const lifetime = this.#codec.lifetime(data, now);
    if (lifetime === null) {
      this.#known.delete(data);
      await this.delete(sid, DeletionReason.cookieExpired);
      return;
    }
    const stored = this.#known.get(data) ?? (await this.#read(sid));
    if (stored === null) return;
    await this.#update(sid, data, stored, this.#codec.touchFieldsOf(data, lifetime), [], lifetime, stored.principal);
  }

  /** Deletes the session (`deleteById`, so its `deleted` event carries `reason`); ids the store cannot hold are ignored. */
  async delete(sid: string, reason: DeletionReason): Promise<void> {
    if (unsafeSessionIdReason(sid) !== null || !this.#repository.isValidSessionId(sid)) return;
    await this.#repository.deleteById(sid, { reason });
  }

  async #update(
    sid: string,
    data: object,
    stored: StoredSession,
    fields: ReadonlyMap<string, string>,
    remove: readonly string[],
    lifetime: SessionLifetime,
    principal: string | null,
  ): Promise<void> {
    const set: string[] = [];
    for (const [field, text] of fields) if (stored.fields.get(field) !== text) set.push(field, text);
    const expiry = this.#expiry(stored, lifetime);
    if (set.length === 0 && remove.length === 0 && expiry.expiresAt === expiry.previousExpiresAt && principal === stored.principal) {
      this.#known.set(data, stored);
      return;
    }
    const outcome = await this.#hashes.write({ ...expiry, id: sid, mode: 'update', set, remove, principal, previousPrincipal: stored.principal });
    if (outcome !== 'written') {
      this.#known.delete(data);
      return;
    }
    const next = new Map(stored.fields);
    for (let i = 0; i < set.length; i += 2) next.set(set[i] as string, set[i + 1] as string);
    for (const field of remove) next.delete(field);
    this.#known.set(data, { fields: next, ...lifetime, principal });
  }

  #expiry(stored: StoredSession | null, lifetime: SessionLifetime): Pick<SessionHashWrite, 'expiresAt' | 'previousExpiresAt'> {
    return { expiresAt: expiresAtOf(lifetime), previousExpiresAt: stored === null ? null : expiresAtOf(stored) };
  }

  #key(sid: string): string {
    return this.#repository.keyspace.of(sid).sessionKey(sid);
  }

  async #read(sid: string): Promise<StoredSession | null> {
    const reply = await this.#hashes.read(sid);
    return readStoredSession(sid, this.#key(sid), reply, this.#repository.options.serializer, this.#codec.principalField, this.#repository.options.clock());
  }
}
