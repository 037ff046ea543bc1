import { checkDeleteOptions } from './checkDeleteOptions.js';
import { ClusterKeysError } from './errors/ClusterKeysError.js';
import { SESSION_DATA_GRACE_MS } from './grace-periods.js';
import type { SessionKeys } from './keys/SessionKeys.js';
import type { SessionKeyspace } from './keys/SessionKeyspace.js';
import { invalidId } from './keys/sessionIdRules.js';
import { PRINCIPAL_NAME_INDEX_NAME } from './principal/PrincipalNameResolver.js';
import type { RedisClient } from './redis/clients/RedisClient.js';
import type { RedisConnection } from './redis/clients/RedisConnection.js';
import { deleteSession } from './redis/scripts/delete-session.js';
import { SessionReader, type StoredSessionHash } from './find/SessionReader.js';
import { repositoryContext, type RepositoryContext } from './RepositoryContext.js';
import { SessionSaveQueue } from './save/SessionSaveQueue.js';
import { SessionWriter, type SessionHashWrite, type SessionHashWriteOutcome } from './save/SessionWriter.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import type { CreateSessionOptions, DeleteOptions, SessionRepository } from './SessionRepository.js';
import { foundSessions, type FoundSessions } from './session/FoundSessions.js';
import { newSession } from './session/newSession.js';
import type { Session } from './session/Session.js';
import { SessionEndRecords } from './session-ends/SessionEndRecords.js';
import { SessionEnds } from './session-ends/SessionEnds.js';

export type { SessionEndRecord } from './session-ends/SessionEndRecords.js';

/**
 * Sessions in Redis with Spring Session's indexed layout (`RedisIndexedSessionRepository`),
 * every operation one round trip.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'; // or: import { Redis } from 'ioredis'; new Redis()
 * import { RedisIndexedSessionRepository } from '@lapse/repository';
 *
 * const client = await createClient().connect();
 * const repository = new RedisIndexedSessionRepository(client, { defaultMaxInactiveInterval: 600 });
 * const session = await repository.createSession();
 * session.setAttribute('user', 'ada');
 * await repository.save(session);
 * const again = await repository.findById(session.id);
 * ```
 */
export class RedisIndexedSessionRepository implements SessionRepository {
  /** The client the application passed in, as it was given; lapse never closes it. */
  readonly client: RedisClient;
  /** lapse's view of {@link client}: every command of the repository goes through it. */
  readonly connection: RedisConnection;
  /** Which keys each session uses (one layout on a single Redis, hash-tagged shards on a Cluster). */
  readonly keyspace: SessionKeyspace;
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedRepositoryOptions>;
  /** What the repository's parts share (see {@link RepositoryContext}). */
  readonly #context: RepositoryContext;
  readonly #saves: SessionSaveQueue;
  readonly #reader: SessionReader;
  readonly #writer: SessionWriter;
  readonly #ends: SessionEndRecords;

  /**
   * @param client an ioredis 6 `Redis` or `Cluster`, or a node-redis 5/6 client or cluster
   * connected by the caller (see `toRedisConnection`, which refuses what lapse cannot use).
   */
  constructor(client: RedisClient, options: RedisIndexedSessionRepositoryOptions = {}) {
    const context = repositoryContext(client, options);
    this.#context = context;
    this.client = client;
    this.connection = context.connection;
    this.options = context.options;
    this.keyspace = context.keyspace;
    this.#reader = new SessionReader(context);
    this.#ends = new SessionEndRecords(context);
    this.#writer = new SessionWriter(context);
    this.#saves = new SessionSaveQueue(this.#writer);
  }

  /**
   * Every key and channel name this repository uses on a single Redis. On a Cluster, where each
   * session's keys depend on its shard, reading it throws {@link ClusterKeysError}: use
   * `keyspace.of(id)` for a session's keys and `keyspace.channels` for the channel names.
   */
  get keys(): SessionKeys {
    if (this.keyspace.clustered) throw new ClusterKeysError();
    return this.keyspace.channels;
  }


  async createSession(options: CreateSessionOptions = {}): Promise<Session> {
    return this.#saves.created(newSession(options, this.options, this.#context.changeId), this.options.flushMode === 'immediate');
  }

  save(session: Session): Promise<boolean> {
    return this.#saves.save(session);
  }

  findById(id: string): Promise<Session | null> {
    if (!this.#context.isValidId(id)) return Promise.resolve(null);
    const found = this.#reader.findById(id);
    // Not an async function: a find is the hot path, and an await here is one more promise hop.
    if (this.options.flushMode !== 'immediate') return found;
    return found.then((session) => {
      if (session !== null) this.#saves.flushOnChange(session);
      return session;
    });
  }

  async deleteById(id: string, options: DeleteOptions = {}): Promise<void> {
    await this.#delete(id, checkDeleteOptions(options));
  }

  /**
   * Ends every live session filed under the principal ("log out everywhere"), those whose data
   * cannot be read included (their `deleted` event has `session: null`, and a listener reports
   * a `CorruptSessionDataError` naming each on `'error'`). Resolves with how many ended;
   * rejects only when Redis fails (or a key it writes has the wrong type: `WrongKeyTypeError`).
   */
  async deleteByPrincipalName(principalName: string, options: DeleteOptions = {}): Promise<number> {
    const reason = checkDeleteOptions(options);
    const found = await this.findByPrincipalName(principalName);
    const ids = [...found.keys(), ...found.unreadable.map((error) => error.sessionId)];
    const ended = await Promise.all(ids.map((id) => this.#delete(id, reason)));
    return ended.filter(Boolean).length;
  }

  /** Deletes one session; resolves whether it was live (its shadow key existed). */
  async #delete(id: string, reason: string): Promise<boolean> {
    const { calls, expiration, mapper, streamRetention, isValidId } = this.#context;
    if (!isValidId(id)) return false;
    const keys = this.keyspace.of(id);
    const { wasLive, hash, indexKeys } = await deleteSession(calls.runScript, {
      hashKey: keys.sessionKey(id),
      shadowKey: keys.shadowKey(id),
      indexReferenceKey: keys.indexReferenceKey(id),
      eventStreamKey: keys.eventStreamKey,
      id,
      indexReference: expiration.reference(keys),
      indexKind: expiration.kind,
      storedZero: mapper.serializedZero(),
      graceMs: SESSION_DATA_GRACE_MS,
      reason,
      streamMaxLength: streamRetention.maxLength,
      streamMaxAgeMs: streamRetention.maxAgeMs,
    });
    await this.#ends.afterDelete(id, hash, indexKeys);
    return wasLive;
  }

  /**
   * The live sessions filed under `indexValue` in the principal index (the only index), by id;
   * those whose data cannot be read are not in the map but in its `unreadable` list (see
   * {@link FoundSessions}). Rejects only when Redis fails.
   */
  async findByIndexNameAndIndexValue(indexName: string, indexValue: string): Promise<FoundSessions> {
    const found = foundSessions();
    if (indexName !== PRINCIPAL_NAME_INDEX_NAME || typeof indexValue !== 'string') return found;
    // One index set per shard (one on a single Redis).
    await Promise.all(this.keyspace.shards.map((shard) => this.#reader.findInIndex(shard.principalIndexKey(indexValue), found)));
    return found;
  }

  /** {@link findByIndexNameAndIndexValue} for the principal index: a user's sessions, and in `unreadable` those that cannot be read. */
  findByPrincipalName(principalName: string): Promise<FoundSessions> {
    return this.findByIndexNameAndIndexValue(PRINCIPAL_NAME_INDEX_NAME, principalName);
  }

  /** Every session id with a shadow key, by SCAN (never KEYS) with `COUNT count` (default 1000), on every master of a Cluster. */
  scanSessionIds(count?: number): AsyncIterable<string> {
    return this.#reader.scanSessionIds(count);
  }

  async cleanupExpiredSessions(): Promise<number> {
    return (await this.#context.expiration.sweep()).touched;
  }

  close(): Promise<void> {
    return this.#context.expiration.stop();
  }

  #sessionEnds: SessionEnds | undefined;

  /**
   * Session ends as `@lapse/events` reads them, in one place: the end records of the event
   * streams turned into sessions, the keyspace fast path, the created channel, the checks a
   * listener makes before it starts. The listener's one way into the repository.
   */
  get sessionEnds(): SessionEnds {
    return (this.#sessionEnds ??= new SessionEnds(this.#context, this.#ends));
  }

  /** Whether `id` could be a session id of this repository (never sent to Redis otherwise). */
  isValidSessionId(id: string): boolean {
    return this.#context.isValidId(id);
  }

  /**
   * A live session as stored, for adapters that keep a session as its hash's fields (lapse's
   * express-session store): the hash's field/value pairs as they are (attributes serialized),
   * with the metadata decoded, found by {@link findById}'s rule (one HGETALL; near its deadline
   * Redis's shadow key decides). `null` when the session is not live or the id is not valid.
   */
  readSessionHash(id: string): Promise<StoredSessionHash | null> {
    return this.#context.isValidId(id) ? this.#reader.readHash(id) : Promise.resolve(null);
  }

  /**
   * Writes a session kept as its hash's fields (see {@link readSessionHash}) in one round trip,
   * by `save`'s scripts and rules: TTLs from `maxInactiveInterval`, the expiration and principal
   * indexes, the created event, no resurrection, `maxAttributeBytes` (a larger attribute rejects
   * with `SessionSerializationError`, nothing written). Rejects with `InvalidArgumentError` for
   * an id the repository does not accept.
   */
  writeSessionHash(change: SessionHashWrite): Promise<SessionHashWriteOutcome> {
    if (!this.#context.isValidId(change.id)) return Promise.reject(invalidId(change.id));
    return this.#writer.writeHash(change);
  }
}
