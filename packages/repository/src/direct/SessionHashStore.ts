import { SESSION_DATA_GRACE_MS } from '../grace-periods.js';
import { BUCKET_RETENTION_MS } from '../expiration/MinuteBucketExpirationIndex.js';
import type { RedisIndexedSessionRepository } from '../RedisIndexedSessionRepository.js';
import type { ScriptRunner } from '../redis/LuaScript.js';
import { touchSession } from '../redis/scripts/touch-session.js';
import { writeSessionHash } from '../redis/scripts/write-session-hash.js';
import type { RedisConnection } from '../redis/clients/RedisConnection.js';

/** One write of a session hash, as {@link SessionHashStore.write} sends it. */
export interface SessionHashWrite {
  /** The session id (valid for the repository). */
  readonly id: string;
  /** `create`: only if the id is free (resolves `'live'` when a live session has it); `update`: only while the session lives. */
  readonly mode: 'create' | 'update';
  /** Flat field/value pairs to write (already serialized). */
  readonly set: readonly string[];
  /** Fields to delete. */
  readonly remove: readonly string[];
  /** When the session expires (epoch ms, `lastAccessedTime + maxInactiveInterval`), `null` for never. */
  readonly expiresAt: number | null;
  /** The expiry as stored (update), `null` for never or unknown. */
  readonly previousExpiresAt: number | null;
  /** The principal name after the write, and as stored before it. */
  readonly principal: string | null;
  readonly previousPrincipal: string | null;
  /** The body of the created event (create mode only). */
  readonly createdMessage?: string;
}

/** What a write did: `written`; `gone` (refused: the session ended, or the id is taken by an ended one); `live` (create mode: the id is a live session). */
export type SessionHashWriteOutcome = 'written' | 'gone' | 'live';

/**
 * Reads and writes session hashes for adapters that keep their own view of a session instead
 * of {@link Session} objects (lapse's express-session store). Every call is one round trip,
 * with the repository's `commandTimeoutMs`, error types and key layout (Spring's), and the
 * same guarantees as `save`: no resurrection, events (the created message; ends are recorded
 * by `deleteById`, the sweep and the listeners as for any session), the expiration index and
 * the principal index kept right.
 */
export class SessionHashStore {
  readonly #repository: RedisIndexedSessionRepository;
  readonly #connection: RedisConnection;
  readonly #run: ScriptRunner;

  constructor(repository: RedisIndexedSessionRepository) {
    this.#repository = repository;
    this.#connection = repository.connection;
    this.#run = (script, keys, args, sessionId) => repository.callRedis(script.command, sessionId, () => script.run(this.#connection, keys, args));
  }

  /** The stored hash of `id` as flat field/value pairs (empty when there is none): one HGETALL. */
  read(id: string): Promise<string[]> {
    const key = this.#repository.keyspace.of(id).sessionKey(id);
    return this.#repository.callRedis('HGETALL', id, () => this.#connection.send('hgetall', [key], key)) as Promise<string[]>;
  }

  /** One write (one EVALSHA). */
  async write(change: SessionHashWrite): Promise<SessionHashWriteOutcome> {
    const repository = this.#repository;
    const { id } = change;
    const shard = repository.keyspace.of(id);
    const hashKey = shard.sessionKey(id);
    const now = repository.options.clock();
    const create = change.mode === 'create';
    const shadowTtlMs = change.expiresAt === null ? -1 : Math.max(1, change.expiresAt - now);
    const hashTtlMs = shadowTtlMs < 0 ? -1 : shadowTtlMs + SESSION_DATA_GRACE_MS;
    const previousPrincipal = create ? null : change.previousPrincipal;
    const index = repository.expirationIndexOf(id);
    // The common request (same principal, still expiring, same minute bucket): the lean touch.
    const touch =
      !create && change.principal === previousPrincipal && change.expiresAt !== null && shadowTtlMs > 0
        ? index.touchArguments(change.expiresAt, change.previousExpiresAt)
        : null;
    if (touch !== null) {
      // Store sessions keep no `:idx` set, so none is touched.
      const touched = await touchSession(this.#run, {
        id,
        hashKey,
        shadowKey: shard.shadowKey(id),
        indexReferenceKey: shard.indexReferenceKey(id),
        shadowTtlMs,
        hashTtlMs,
        indexReferenceTtlMs: null,
        refile: touch.length === 2 ? { sortedSetKey: touch[0], expiresAt: touch[1] } : null,
        delta: { set: change.set, remove: change.remove },
      });
      if (touched === 'written') repository.noteDeadline(shadowTtlMs);
      // 'moved': another process's save changed the stored bucket; the full write below moves it.
      if (touched !== 'moved') return touched;
    }
    const outcome = await writeSessionHash(this.#run, {
      mode: change.mode,
      id,
      hashKey,
      shadowKey: shard.shadowKey(id),
      indexReferenceKey: shard.indexReferenceKey(id),
      shadowTtlMs,
      hashTtlMs,
      filing: index.filing(change.expiresAt),
      indexKind: index.kind,
      registryTrimBefore: now - BUCKET_RETENTION_MS,
      principalMove:
        change.principal === previousPrincipal
          ? null
          : {
              from: previousPrincipal === null ? null : shard.principalIndexKey(previousPrincipal),
              to: change.principal === null ? null : shard.principalIndexKey(change.principal),
            },
      created: create ? { channel: shard.createdChannel(id), body: change.createdMessage ?? '' } : null,
      setMembersAsJson: repository.options.serializer.setMembersAsJson === true,
      set: change.set,
      remove: change.remove,
    });
    if (outcome === 'written' && change.expiresAt !== null) repository.noteDeadline(shadowTtlMs);
    return outcome;
  }

  /**
   * Every session id whose shadow key exists, by SCAN with `COUNT count` (never KEYS), on every
   * master of a Cluster, each once; ids not valid for the repository are skipped.
   */
  async ids(count: number): Promise<string[]> {
    const found = new Set<string>();
    for await (const id of this.#repository.scanSessionIds(count)) found.add(id);
    return [...found];
  }
}
