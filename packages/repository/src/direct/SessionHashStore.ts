import { SESSION_DATA_GRACE_MS } from '../grace-periods.js';
import { BUCKET_RETENTION_MS } from '../expiration/MinuteBucketExpirationIndex.js';
import { bucketMinuteOf } from '../expiration/minute-bucket.js';
import type { RedisIndexedSessionRepository } from '../RedisIndexedSessionRepository.js';
import { writeSessionHashScript } from '../redis/scripts/write-session-hash.js';
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

  constructor(repository: RedisIndexedSessionRepository) {
    this.#repository = repository;
    this.#connection = repository.connection;
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
    const shadowTtl = change.expiresAt === null ? -1 : Math.max(1, change.expiresAt - now);
    const hashTtl = shadowTtl < 0 ? -1 : shadowTtl + SESSION_DATA_GRACE_MS;
    const sortedSet = repository.options.expirationIndex === 'sorted-set';
    let kind = '';
    let next: string | number = '';
    let previous: string | number = '';
    let newIndexKey = hashKey;
    let oldIndexKey = hashKey;
    let bucketExpireAt = 0;
    if (sortedSet) {
      if (create || change.expiresAt !== change.previousExpiresAt) {
        kind = 'z';
        next = change.expiresAt ?? '';
        newIndexKey = shard.expirationSortedSetKey;
      }
    } else {
      const nextMinute = change.expiresAt === null ? null : bucketMinuteOf(change.expiresAt);
      const previousMinute = create || change.previousExpiresAt === null ? null : bucketMinuteOf(change.previousExpiresAt);
      if (create || nextMinute !== previousMinute) {
        kind = 'm';
        next = nextMinute ?? '';
        previous = previousMinute ?? '';
        if (nextMinute !== null) {
          newIndexKey = shard.bucketKey(nextMinute);
          bucketExpireAt = nextMinute + BUCKET_RETENTION_MS;
        }
        if (previousMinute !== null) oldIndexKey = shard.bucketKey(previousMinute);
      }
    }
    const principalChanged = change.principal !== (create ? null : change.previousPrincipal);
    const keys = [
      hashKey,
      shard.shadowKey(id),
      shard.indexReferenceKey(id),
      newIndexKey,
      oldIndexKey,
      shard.bucketRegistryKey,
      !create && change.previousPrincipal !== null ? shard.principalIndexKey(change.previousPrincipal) : hashKey,
      change.principal !== null ? shard.principalIndexKey(change.principal) : hashKey,
    ];
    const args: (string | number)[] = [
      create ? 'c' : 'u',
      id,
      shadowTtl,
      hashTtl,
      kind,
      next,
      previous,
      bucketExpireAt,
      now - BUCKET_RETENTION_MS,
      principalChanged ? '1' : '0',
      create ? shard.createdChannel(id) : '',
      create ? (change.createdMessage ?? '') : '',
      change.set.length / 2,
      ...change.set,
      change.remove.length,
      ...change.remove,
    ];
    const reply = await repository.callRedis(writeSessionHashScript.command, id, () =>
      this.#connection.runScript(writeSessionHashScript, keys, args),
    );
    if (reply === 2) return 'live';
    if (reply !== 1) return 'gone';
    if (change.expiresAt !== null) repository.noteDeadline(shadowTtl);
    return 'written';
  }

  /**
   * Every session id whose shadow key exists, by SCAN with `COUNT count` (never KEYS), on every
   * master of a Cluster; ids not valid for the repository are skipped.
   */
  async ids(count: number): Promise<string[]> {
    const repository = this.#repository;
    const pattern = repository.keyspace.shadowKeyPattern;
    const found = new Set<string>();
    for (const node of await this.#connection.masters()) {
      let cursor = '0';
      do {
        const [nextCursor, keys] = (await repository.callRedis('SCAN', undefined, () =>
          node.send('scan', [cursor, 'MATCH', pattern, 'COUNT', count]),
        )) as [string, string[]];
        cursor = nextCursor;
        for (const key of keys) {
          const id = repository.keyspace.sessionIdOfShadowKey(key);
          if (id !== null && repository.isValidSessionId(id)) found.add(id);
        }
      } while (cursor !== '0');
    }
    return [...found];
  }
}
