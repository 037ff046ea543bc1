import { checkDeleteOptions } from './checkDeleteOptions.js';
import { ClusterKeysError } from './errors/ClusterKeysError.js';
import { SESSION_DATA_GRACE_MS } from './grace-periods.js';
import type { SessionKeys } from './keys/SessionKeys.js';
import { SessionKeyspace } from './keys/SessionKeyspace.js';
import { reservedSessionIdReason } from './keys/reservedSessionIds.js';
import { invalidId, sameShardId } from './keys/sessionIdRules.js';
import { RedisSessionMapper } from './mapper/RedisSessionMapper.js';
import { PRINCIPAL_NAME_INDEX_NAME } from './principal/PrincipalNameResolver.js';
import type { RedisClient } from './redis/clients/RedisClient.js';
import type { RedisConnection } from './redis/clients/RedisConnection.js';
import { toRedisConnection } from './redis/clients/toRedisConnection.js';
import { deleteSession } from './redis/scripts/delete-session.js';
import { ExpirationIndexes } from './repository/ExpirationIndexes.js';
import { RedisCalls } from './repository/RedisCalls.js';
import { SessionReader } from './repository/SessionReader.js';
import { SessionWriter, type SessionHashWrite, type SessionHashWriteOutcome } from './repository/SessionWriter.js';
import type { StoredSessionHash } from './repository/SessionReader.js';
import { eventStreamRetention, resolveRepositoryOptions } from './resolveRepositoryOptions.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import type { CreateSessionOptions, DeleteOptions, SessionRepository } from './SessionRepository.js';
import { foundSessions, type FoundSessions } from './session/FoundSessions.js';
import { newSessionId } from './session/newSessionId.js';
import { Session } from './session/Session.js';
import { SessionSaveQueue } from './session/SessionSaveQueue.js';
import { checkCreateSessionOptions, checkRepositoryOptions } from './options/repositoryOptionRules.js';
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
  readonly #mapper: RedisSessionMapper;
  /** One expiration index per shard, and what sweeps them. */
  readonly #expiration: ExpirationIndexes;
  readonly #saves: SessionSaveQueue;
  readonly #calls: RedisCalls;
  readonly #reader: SessionReader;
  readonly #writer: SessionWriter;
  readonly #ends: SessionEndRecords;
  readonly #changeId: ((current: string) => string) | undefined;

  /**
   * @param client an ioredis 6 `Redis` or `Cluster`, or a node-redis 5/6 client or cluster
   * connected by the caller (see {@link toRedisConnection}, which refuses what lapse cannot use).
   */
  constructor(client: RedisClient, options: RedisIndexedSessionRepositoryOptions = {}) {
    // Options first: a typo or a wrong type is refused before the client is looked at.
    checkRepositoryOptions(options);
    const coalesceWrites = options.coalesceWrites;
    this.connection = toRedisConnection(client, typeof coalesceWrites === 'boolean' ? { coalesceWrites } : {});
    this.client = client;
    const clustered = this.connection.clustered;
    this.options = Object.freeze(resolveRepositoryOptions(options, this.connection.requestedDatabase));
    const { options: resolved } = this;
    this.keyspace = new SessionKeyspace(resolved.namespace, resolved.database, clustered ? resolved.clusterShards : null);
    this.#changeId = clustered ? sameShardId(this.keyspace, resolved.sessionIdGenerator.generate.bind(resolved.sessionIdGenerator)) : undefined;
    this.#mapper = new RedisSessionMapper(resolved.serializer, this.keyspace, {
      saveMode: resolved.saveMode,
      idGenerator: resolved.sessionIdGenerator,
      principalNameResolver: resolved.principalNameResolver,
      ...(this.#changeId === undefined ? {} : { changeId: this.#changeId }),
    }, resolved.maxAttributeBytes);
    const isValidId = (id: string): boolean => this.#isValidId(id);
    this.#calls = new RedisCalls(this.connection, this.keyspace, resolved.database, resolved.commandTimeoutMs);
    this.#reader = new SessionReader(this.#calls, this.keyspace, this.#mapper, isValidId, resolved.clock);
    this.#ends = new SessionEndRecords(this.#calls, this.keyspace, this.#mapper, resolved.principalNameResolver, isValidId);
    this.#expiration = new ExpirationIndexes(this.keyspace, this.#calls.runScript, resolved, () => this.connection.closed);
    this.#writer = new SessionWriter(this.#calls, this.keyspace, this.#mapper, {
      principalNameResolver: resolved.principalNameResolver,
      clock: resolved.clock,
      indexOf: (id) => this.#expiration.of(id),
      onDeadline: (inMs) => this.#expiration.deadlineIn(inMs),
      setMembersAsJson: resolved.serializer.setMembersAsJson === true,
      streamMaxLength: resolved.eventStreamMaxLength,
      streamMaxAgeMs: eventStreamRetention(resolved).maxAgeMs,
    });
    this.#saves = new SessionSaveQueue((session) => this.#writer.write(session));
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
    checkCreateSessionOptions(options);
    const now = this.options.clock();
    const session = new Session({
      id: newSessionId(this.options.sessionIdGenerator, options.id),
      creationTime: now,
      lastAccessedTime: now,
      maxInactiveInterval: options.maxInactiveInterval ?? this.options.defaultMaxInactiveInterval,
      saveMode: this.options.saveMode,
      idGenerator: this.options.sessionIdGenerator,
      ...(this.#changeId === undefined ? {} : { changeId: this.#changeId }),
    });
    if (this.options.flushMode === 'immediate') {
      await this.save(session);
      this.#saves.flushOnChange(session);
    }
    return session;
  }

  save(session: Session): Promise<boolean> {
    return this.#saves.save(session);
  }

  findById(id: string): Promise<Session | null> {
    if (!this.#isValidId(id)) return Promise.resolve(null);
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
    if (!this.#isValidId(id)) return false;
    const keys = this.keyspace.of(id);
    const index = this.#expiration.of(id);
    const { wasLive, hash, indexKeys } = await deleteSession(this.#calls.runScript, {
      hashKey: keys.sessionKey(id),
      shadowKey: keys.shadowKey(id),
      indexReferenceKey: keys.indexReferenceKey(id),
      eventStreamKey: keys.eventStreamKey,
      id,
      indexReference: index.reference,
      indexKind: index.kind,
      storedZero: this.#mapper.serializedZero(),
      graceMs: SESSION_DATA_GRACE_MS,
      reason,
      streamMaxLength: this.options.eventStreamMaxLength,
      streamMaxAgeMs: eventStreamRetention(this.options).maxAgeMs,
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
    return (await this.#expiration.sweep()).touched;
  }

  close(): Promise<void> {
    return this.#expiration.stop();
  }

  #sessionEnds: SessionEnds | undefined;

  /**
   * Session ends as `@lapse/events` reads them, in one place: the end records of the event
   * streams turned into sessions, the keyspace fast path, the created channel, the checks a
   * listener makes before it starts. The listener's one way into the repository.
   */
  get sessionEnds(): SessionEnds {
    const resolved = this.options;
    return (this.#sessionEnds ??= new SessionEnds({
      connection: this.connection,
      keyspace: this.keyspace,
      database: resolved.database,
      calls: this.#calls,
      mapper: this.#mapper,
      records: this.#ends,
      indexOf: (id) => this.#expiration.of(id),
      isValidId: (id) => this.#isValidId(id),
      streamMaxLength: resolved.eventStreamMaxLength,
      streamMaxAgeMs: eventStreamRetention(resolved).maxAgeMs,
    }));
  }

  /** Whether `id` could be a session id of this repository (never sent to Redis otherwise). */
  isValidSessionId(id: string): boolean {
    return this.#isValidId(id);
  }

  /**
   * A live session as stored, for adapters that keep a session as its hash's fields (lapse's
   * express-session store): the hash's field/value pairs as they are (attributes serialized),
   * with the metadata decoded, found by {@link findById}'s rule (one HGETALL; near its deadline
   * Redis's shadow key decides). `null` when the session is not live or the id is not valid.
   */
  readSessionHash(id: string): Promise<StoredSessionHash | null> {
    return this.#isValidId(id) ? this.#reader.readHash(id) : Promise.resolve(null);
  }

  /**
   * Writes a session kept as its hash's fields (see {@link readSessionHash}) in one round trip,
   * by `save`'s scripts and rules: TTLs from `maxInactiveInterval`, the expiration and principal
   * indexes, the created event, no resurrection, `maxAttributeBytes` (a larger attribute rejects
   * with `SessionSerializationError`, nothing written). Rejects with `InvalidArgumentError` for
   * an id the repository does not accept.
   */
  writeSessionHash(change: SessionHashWrite): Promise<SessionHashWriteOutcome> {
    if (!this.#isValidId(change.id)) return Promise.reject(invalidId(change.id));
    return this.#writer.writeHash(change);
  }

  #isValidId(id: string): boolean {
    return typeof id === 'string' && this.options.sessionIdGenerator.isValid(id) && reservedSessionIdReason(id) === null;
  }
}
