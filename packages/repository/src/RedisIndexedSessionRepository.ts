import { CleanupSchedule } from './cleanup/CleanupSchedule.js';
import { INDEX_REFERENCE_GRACE_MS, SESSION_DATA_GRACE_MS } from './grace-periods.js';
import { CorruptSessionDataError } from './errors/CorruptSessionDataError.js';
import { InvalidArgumentError } from './errors/InvalidArgumentError.js';
import { LapseError } from './errors/LapseError.js';
import { ClusterKeysError } from './errors/ClusterKeysError.js';
import { WrongDatabaseError } from './errors/WrongDatabaseError.js';
import { RedisCommandError } from './errors/RedisCommandError.js';
import { DeadlineSweeper } from './cleanup/DeadlineSweeper.js';
import { MinuteBucketExpirationIndex } from './expiration/MinuteBucketExpirationIndex.js';
import type { RedisSessionExpirationIndex, SweepResult } from './expiration/RedisSessionExpirationIndex.js';
import { BUCKET_RETENTION_MS } from './expiration/MinuteBucketExpirationIndex.js';
import { SortedSetExpirationIndex } from './expiration/SortedSetExpirationIndex.js';
import type { SessionKeys } from './keys/SessionKeys.js';
import { SessionKeyspace } from './keys/SessionKeyspace.js';
import { ATTRIBUTE_PREFIX, RedisSessionMapper } from './mapper/RedisSessionMapper.js';
import { PRINCIPAL_NAME_INDEX_NAME } from './principal/PrincipalNameResolver.js';
import { CommandDeadlines } from './redis/CommandDeadlines.js';
import type { LuaScript } from './redis/LuaScript.js';
import type { RedisClient } from './redis/clients/RedisClient.js';
import type { RedisConnection, RedisReply } from './redis/clients/RedisConnection.js';
import { toRedisConnection } from './redis/clients/toRedisConnection.js';
import { deleteSessionScript } from './redis/scripts/delete-session.js';
import { claimDestroyedSessionScript } from './redis/scripts/claim-destroyed-session.js';
import { saveSessionScript } from './redis/scripts/save-session.js';
import { touchSessionScript } from './redis/scripts/touch-session.js';
import { resolveRepositoryOptions } from './resolveRepositoryOptions.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import type { CreateSessionOptions, DeleteOptions, SessionLifecycleEvent, SessionRepository } from './SessionRepository.js';
import { newSessionId } from './session/newSessionId.js';
import { checkDeleteOptions } from './checkDeleteOptions.js';
import { Session } from './session/Session.js';
import { expiresAtOf, markPersisted, restoreChanges, sessionState, takeChanges } from './session/SessionState.js';
import { SessionSaveQueue } from './session/SessionSaveQueue.js';


/** A session end read from the event stream. */
export interface SessionEndRecord {
  /** The event: `deleted` or `expired`, the id, the last data (null when it was gone), the deletion reason. */
  readonly event: SessionLifecycleEvent;
  /** Set when the stored session could not be read (the event then has `session: null`). */
  readonly error: CorruptSessionDataError | null;
}

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
  /**
   * Every key and channel name this repository uses on a single Redis. On a Cluster, where each
   * session's keys depend on its shard, reading it throws {@link ClusterKeysError}: use
   * `keyspace.of(id)` for a session's keys and `keyspace.channels` for the channel names.
   */
  get keys(): SessionKeys {
    if (this.keyspace.clustered) throw new ClusterKeysError();
    return this.keyspace.channels;
  }
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedRepositoryOptions>;
  readonly #mapper: RedisSessionMapper;
  /** One expiration index per shard. */
  readonly #expirationIndexes = new Map<SessionKeys, RedisSessionExpirationIndex>();
  readonly #saves: SessionSaveQueue;
  #schedule: CleanupSchedule | null = null;
  #sweeper: DeadlineSweeper | null = null;
  readonly #deadlines: CommandDeadlines;

  /**
   * @param client an ioredis 6 `Redis` or `Cluster`, or a node-redis 5/6 client or cluster
   * connected by the caller (see {@link toRedisConnection}, which refuses what lapse cannot use).
   */
  constructor(client: RedisClient, options: RedisIndexedSessionRepositoryOptions = {}) {
    const coalesceWrites = options !== null && typeof options === 'object' ? options.coalesceWrites : undefined;
    this.connection = toRedisConnection(client, typeof coalesceWrites === 'boolean' ? { coalesceWrites } : {});
    this.client = client;
    const clustered = this.connection.clustered;
    this.options = Object.freeze(resolveRepositoryOptions(options, this.connection.requestedDatabase));
    this.keyspace = new SessionKeyspace(this.options.namespace, this.options.database, clustered ? this.options.clusterShards : null);
    const generator = this.options.sessionIdGenerator;
    const keyspace = this.keyspace;
    this.#changeId = clustered
      ? (current: string): string => {
          // A new id in the same shard, so the id change stays one script in one slot.
          const shard = keyspace.of(current);
          for (;;) {
            const id = generator.generate();
            if (keyspace.of(id) === shard) return id;
          }
        }
      : undefined;
    this.#mapper = new RedisSessionMapper(this.options.serializer, this.keyspace, {
      saveMode: this.options.saveMode,
      idGenerator: generator,
      principalNameResolver: this.options.principalNameResolver,
      ...(this.#changeId === undefined ? {} : { changeId: this.#changeId }),
    }, this.options.maxAttributeBytes);
    this.#saves = new SessionSaveQueue((session) => this.#write(session));
    this.#deadlines = new CommandDeadlines(this.options.commandTimeoutMs);
    const sortedSet = this.options.expirationIndex === 'sorted-set';
    for (const shard of this.keyspace.shards) {
      this.#expirationIndexes.set(shard, sortedSet ? new SortedSetExpirationIndex(shard) : new MinuteBucketExpirationIndex(shard));
    }
    if (this.options.cleanupCron !== null) {
      if (sortedSet) {
        this.#sweeper = new DeadlineSweeper(() => this.#sweep(), this.options.maxSweepIntervalMs, this.options.onCleanupError);
      } else {
        this.#schedule = new CleanupSchedule(this.options.cleanupCron, () => this.#sweep(), this.options.onCleanupError);
      }
    }
  }

  readonly #changeId: ((current: string) => string) | undefined;

  /** The expiration index of the shard that holds session `id`. */
  #indexOf(id: string): RedisSessionExpirationIndex {
    return this.#expirationIndexes.get(this.keyspace.of(id)) as RedisSessionExpirationIndex;
  }

  async createSession(options: CreateSessionOptions = {}): Promise<Session> {
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

  async findById(id: string): Promise<Session | null> {
    if (!this.#isValidId(id)) return null;
    const reply = await this.#readLive(id);
    if (typeof reply !== 'object' || reply.length === 0) return null;
    const session = this.#mapper.fromHash(id, reply);
    if (session.maxInactiveInterval === 0) return null;
    if (this.options.flushMode === 'immediate') this.#saves.flushOnChange(session);
    return session;
  }

  /**
   * Reads a live session: `EXISTS` of the shadow key and `HGETALL` of the hash, sent
   * together (one write, replies in order). Liveness is Redis's own deadline: the shadow key
   * must exist (reading it also makes Redis expire it now if it is due, which fires the
   * `expired` event early rather than late). Plain commands, not a script: inside a script
   * Redis converts HGETALL's reply to a Lua table and back, which made a find cost Redis
   * about four times the two commands (13.7 µs against 3.6 µs per call, INFO commandstats).
   * The two are not atomic, and need not be: whatever runs between them (a save, a delete, the
   * shadow key's deadline) leaves a result that a find a moment earlier or later would have
   * had; a delete in between leaves no hash or `maxInactiveInterval` 0, read as not found.
   * Resolves the hash when the shadow key exists (empty if the hash is gone); `1` when only
   * the hash is left (grace period); `0` when neither is.
   */
  #readLive(id: string): Promise<readonly string[] | 0 | 1> {
    const keys = this.keyspace.of(id);
    const hashKey = keys.sessionKey(id);
    const shadowKey = keys.shadowKey(id);
    return this.#call('EXISTS+HGETALL', id, () => {
      const live = this.connection.send('EXISTS', [shadowKey], shadowKey);
      const hash = this.connection.send('HGETALL', [hashKey], hashKey) as Promise<string[]>;
      return live.then(
        (exists) => hash.then((fields) => (exists === 1 ? fields : fields.length === 0 ? 0 : 1)),
        (error: unknown) => {
          hash.catch(ignore);
          throw error;
        },
      );
    });
  }

  async deleteById(id: string, options: DeleteOptions = {}): Promise<void> {
    await this.#delete(id, checkDeleteOptions(options));
  }

  async deleteByPrincipalName(principalName: string, options: DeleteOptions = {}): Promise<number> {
    const reason = checkDeleteOptions(options);
    const sessions = await this.findByPrincipalName(principalName);
    const ended = await Promise.all([...sessions.keys()].map((id) => this.#delete(id, reason)));
    return ended.filter(Boolean).length;
  }

  /** Deletes one session; resolves whether it was live (its shadow key existed). */
  async #delete(id: string, reason: string): Promise<boolean> {
    if (!this.#isValidId(id)) return false;
    const keys = this.keyspace.of(id);
    const index = this.#indexOf(id);
    const [deleted, hash, indexKeys] = (await this.#run(
      deleteSessionScript,
      id,
      [keys.sessionKey(id), keys.shadowKey(id), keys.indexReferenceKey(id), keys.eventStreamKey],
      [
        id,
        index.reference,
        this.#mapper.serializedZero(),
        SESSION_DATA_GRACE_MS,
        reason,
        this.options.eventStreamMaxLength,
        index.kind,
      ],
    )) as [number, string[], string[]];
    if (this.#mayHaveUnindexedPrincipal(hash, indexKeys)) {
      await this.#forgetUnreferencedPrincipal(id, this.#readableSession(id, hash).session, indexKeys);
    }
    return deleted === 1;
  }

  async findByIndexNameAndIndexValue(indexName: string, indexValue: string): Promise<Map<string, Session>> {
    const found = new Map<string, Session>();
    if (indexName !== PRINCIPAL_NAME_INDEX_NAME || typeof indexValue !== 'string') return found;
    // One index set per shard (one on a single Redis).
    await Promise.all(this.keyspace.shards.map((shard) => this.#findInIndex(shard.principalIndexKey(indexValue), found)));
    return found;
  }

  /** Adds the live sessions of one principal-index set to `found`; removes entries whose session is gone. */
  async #findInIndex(indexKey: string, found: Map<string, Session>): Promise<void> {
    const members = (await this.#call('SMEMBERS', undefined, () => this.connection.send('SMEMBERS', [indexKey], indexKey))) as string[];
    const ids = members.filter((id) => this.#isValidId(id));
    const replies = await Promise.all(ids.map((id) => this.#readLive(id)));
    const vanished: string[] = [];
    replies.forEach((reply, i) => {
      const id = ids[i] as string;
      if (reply === 0) vanished.push(id);
      if (typeof reply !== 'object' || reply.length === 0) return;
      const session = this.#mapper.fromHash(id, reply);
      if (session.maxInactiveInterval !== 0) found.set(id, session);
    });
    // Neither hash nor shadow key left: an entry whose destroy event was missed (Spring #2869).
    if (vanished.length > 0) await this.#call('SREM', undefined, () => this.connection.send('SREM', [indexKey, ...vanished], indexKey));
  }

  findByPrincipalName(principalName: string): Promise<Map<string, Session>> {
    return this.findByIndexNameAndIndexValue(PRINCIPAL_NAME_INDEX_NAME, principalName);
  }

  async *scanSessionIds(): AsyncIterable<string> {
    const pattern = this.keyspace.shadowKeyPattern;
    // A Cluster has no cluster-wide SCAN: scan every master.
    const nodes = await this.#call('SCAN', undefined, () => this.connection.masters());
    for (const node of nodes) {
      let cursor = '0';
      do {
        const reply = await this.#call('SCAN', undefined, () => node.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', 1000]));
        const [next, keys] = reply as [string, string[]];
        cursor = next;
        for (const key of keys) {
          const id = this.keyspace.sessionIdOfShadowKey(key);
          if (id !== null && this.#isValidId(id)) yield id;
        }
      } while (cursor !== '0');
    }
  }

  async cleanupExpiredSessions(): Promise<number> {
    return (await this.#sweep()).touched;
  }

  async close(): Promise<void> {
    const stopping = [this.#schedule?.stop(), this.#sweeper?.stop()];
    this.#schedule = null;
    this.#sweeper = null;
    await Promise.all(stopping);
  }

  /** Sweeps every shard (one on a single Redis); the next deadline is the earliest of them. */
  async #sweep(): Promise<SweepResult> {
    const results = await Promise.all(
      [...this.#expirationIndexes.values()].map((index) =>
        this.#call(`EVALSHA lapse:sweep-${this.options.expirationIndex}`, undefined, () =>
          index.sweep(this.connection, this.options.eventStreamMaxLength),
        ),
      ),
    );
    const deadlines = results.map((r) => r.nextDeadlineInMs).filter((d): d is number => d !== null);
    return {
      touched: results.reduce((sum, r) => sum + r.touched, 0),
      nextDeadlineInMs: deadlines.length === 0 ? null : Math.min(...deadlines),
    };
  }

  /**
   * For the event listener, woken by an `expired`/`del` keyspace notification of a shadow key:
   * records the session's end in the event stream if nobody has yet (one round trip).
   */
  async claimDestroyedSession(id: string, type: 'deleted' | 'expired'): Promise<void> {
    if (!this.#isValidId(id)) return;
    const keys = this.keyspace.of(id);
    const index = this.#indexOf(id);
    await this.#run(
      claimDestroyedSessionScript,
      id,
      [keys.sessionKey(id), keys.indexReferenceKey(id), keys.shadowKey(id), keys.eventStreamKey],
      [id, index.reference, type, this.options.eventStreamMaxLength, index.kind],
    );
  }

  /**
   * For the event listener: the event in one record of the event stream (flat field/value
   * list). A session written by Spring, which keeps no `:idx` set, is also removed from its
   * principal's index here. Resolves `null` for a record that is not a session end.
   */
  async readEventRecord(fields: readonly string[]): Promise<SessionEndRecord | null> {
    const record = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) record.set(fields[i] as string, fields[i + 1] as string);
    const type = record.get('type');
    const id = record.get('id') ?? '';
    if ((type !== 'deleted' && type !== 'expired') || !this.#isValidId(id)) return null;
    const reason = record.get('reason') ?? '';
    const parsed = { hash: [] as string[], indexes: [] as string[] };
    for (const field of ['hash', 'indexes'] as const) {
      try {
        const value: unknown = JSON.parse(record.get(field) ?? '[]');
        if (Array.isArray(value)) parsed[field] = value.map(String);
      } catch {
        // An unreadable copy is treated as no data below.
      }
    }
    let { session, error } = this.#readableSession(id, parsed.hash);
    if (record.get('readable') === '0') {
      error = new CorruptSessionDataError(id, this.keyspace.of(id).sessionKey(id), 'the session key is not a hash');
    }
    await this.#forgetUnreferencedPrincipal(id, session, parsed.indexes);
    const event: SessionLifecycleEvent =
      reason === '' ? { type, sessionId: id, session } : { type, sessionId: id, session, reason };
    return { event, error };
  }

  /** For the event listener: the session announced on a created channel. */
  sessionFromCreatedMessage(id: string, body: string): Session {
    return this.#mapper.fromCreatedMessage(id, body);
  }

  /** Whether `id` could be a session id of this repository (never sent to Redis otherwise). */
  isValidSessionId(id: string): boolean {
    return this.#isValidId(id);
  }

  /** @internal For lapse's adapters (`SessionHashStore`): one call with `commandTimeoutMs` and lapse's error types. */
  callRedis<T>(command: string, sessionId: string | undefined, send: () => Promise<T>): Promise<T> {
    return this.#call(command, sessionId, send);
  }

  /** @internal A write filed a session due in `inMs`: the deadline sweeper (sorted set) wakes for it. */
  noteDeadline(inMs: number): void {
    this.#sweeper?.deadlineIn(inMs);
  }

  #isValidId(id: string): boolean {
    return typeof id === 'string' && this.options.sessionIdGenerator.isValid(id);
  }

  /**
   * Sessions written by Spring have no `:idx` set: remove them from their principal's index
   * (read from the hash) too.
   */
  async #forgetUnreferencedPrincipal(id: string, session: Session | null, cleaned: readonly string[]): Promise<void> {
    const principal = session === null ? null : sessionState(session).persistedPrincipal;
    if (principal === null) return;
    const indexKey = this.keyspace.of(id).principalIndexKey(principal);
    if (!cleaned.includes(indexKey)) await this.#call('SREM', id, () => this.connection.send('SREM', [indexKey, id], indexKey));
  }

  /**
   * Whether a deleted session may sit in a principal index its `:idx` set does not name: only a
   * session without one (written by Spring) that holds a principal attribute. Saves parsing
   * every deleted session's attributes.
   */
  #mayHaveUnindexedPrincipal(hash: readonly string[], cleaned: readonly string[]): boolean {
    if (cleaned.length > 0) return false;
    const fields = this.#principalFields;
    for (let i = 0; i < hash.length; i += 2) if (fields.has(hash[i] as string)) return true;
    return false;
  }

  /** The hash fields the principal resolver reads. */
  get #principalFields(): ReadonlySet<string> {
    this.#principalFieldSet ??= new Set(this.options.principalNameResolver.attributeNames.map((name) => ATTRIBUTE_PREFIX + name));
    return this.#principalFieldSet;
  }

  #principalFieldSet: ReadonlySet<string> | undefined;

  /** The session in a hash reply, or `null` when it is empty or unreadable. */
  #readableSession(id: string, hash: readonly string[]): { session: Session | null; error: CorruptSessionDataError | null } {
    if (hash.length === 0) return { session: null, error: null };
    try {
      return { session: this.#mapper.fromHash(id, hash), error: null };
    } catch (error) {
      if (error instanceof CorruptSessionDataError) return { session: null, error };
      throw error;
    }
  }

  /** Writes one save: the single round trip. Resolves `false` when the session was gone. */
  async #write(session: Session): Promise<boolean> {
    const state = sessionState(session);
    const renamed = !state.isNew && state.persistedId !== session.id;
    const principal = this.options.principalNameResolver.resolve((name) => state.attributes.get(name));
    const principalChanged = principal !== state.persistedPrincipal;
    const delta = this.#mapper.delta(session, state.isNew);
    if (!state.isNew && !renamed && delta.set.length === 0 && delta.remove.length === 0) return true;

    const id = session.id;
    const storedId = state.persistedId ?? id;
    const interval = session.maxInactiveInterval;
    const expiresAt = expiresAtOf(session.lastAccessedTime, interval);
    // An id change keeps the shard (see #changeId), so stored and current keys share a slot.
    const shard = this.keyspace.of(id);
    const expirationIndex = this.#indexOf(id);
    const hashKey = shard.sessionKey(id);
    const hashTtl = interval < 0 ? -1 : (interval * 1000 + SESSION_DATA_GRACE_MS);
    const refile =
      !state.isNew && !renamed && !principalChanged && interval > 0
        ? expirationIndex.touchArguments(expiresAt as number, state.persistedExpiresAt)
        : null;
    let script: LuaScript;
    let keys: string[];
    let args: (string | number)[];
    if (refile !== null) {
      // The common request: the lean script (half the arguments).
      script = touchSessionScript;
      keys = [hashKey, shard.shadowKey(id), shard.indexReferenceKey(id)];
      if (refile.length === 2) keys.push(refile[0]);
      args = [
        id,
        interval * 1000,
        hashTtl,
        principal === null ? '' : hashTtl + INDEX_REFERENCE_GRACE_MS,
        refile.length === 2 ? refile[1] : '',
        delta.set.length / 2,
        ...delta.set,
        delta.remove.length,
        ...delta.remove,
      ];
    } else {
      script = saveSessionScript;
      const index = expirationIndex.saveArguments(expiresAt, state.persistedExpiresAt, hashKey);
      keys = [
        hashKey,
        shard.shadowKey(id),
        shard.indexReferenceKey(id),
        shard.sessionKey(storedId),
        shard.shadowKey(storedId),
        shard.indexReferenceKey(storedId),
        ...index.keys,
        state.persistedPrincipal === null ? hashKey : shard.principalIndexKey(state.persistedPrincipal),
        principal === null ? hashKey : shard.principalIndexKey(principal),
      ];
      args = [
        state.isNew ? '1' : '0',
        renamed ? '1' : '0',
        id,
        storedId,
        interval < 0 ? -1 : interval * 1000,
        hashTtl,
        ...index.args,
        state.persistedPrincipal === null ? '0' : '1',
        principal === null ? '0' : '1',
        principalChanged ? '1' : '0',
        hashTtl < 0 ? -1 : hashTtl + INDEX_REFERENCE_GRACE_MS,
        state.isNew ? shard.createdChannel(id) : '',
        state.isNew ? this.#mapper.createdMessage(session) : '',
        this.options.clock() - BUCKET_RETENTION_MS,
        expirationIndex.kind,
        delta.set.length / 2,
        ...delta.set,
        delta.remove.length,
        ...delta.remove,
      ];
    }
    const taken = takeChanges(state);
    let written: unknown;
    try {
      written = await this.#run(script, id, keys, args);
    } catch (error) {
      restoreChanges(state, taken);
      throw error;
    }
    if (written !== 1) return false;
    markPersisted(session, { id, expiresAt, principal });
    if (interval > 0) this.#sweeper?.deadlineIn(interval * 1000);
    return true;
  }

  #run(script: LuaScript, sessionId: string, keys: readonly string[], args: readonly (string | number)[]): Promise<RedisReply> {
    return this.#call(script.command, sessionId, () => script.run(this.connection, keys, args));
  }

  /**
   * Sends one command (or script) with `commandTimeoutMs` and lapse's error types; a single
   * promise, without async wrappers, on the hot path.
   */
  #call<T>(command: string, sessionId: string | undefined, send: () => Promise<T>): Promise<T> {
    if (!this.#onDatabase) return this.#checkDatabase().then(() => this.#call(command, sessionId, send));
    let sent: Promise<T>;
    try {
      sent = send();
    } catch (error) {
      sent = Promise.reject(error as Error);
    }
    return this.#deadlines.run(
      sent,
      () => new RedisCommandError(command, sessionId, new Error(`no answer from Redis within ${this.options.commandTimeoutMs} ms (option commandTimeoutMs)`)),
      (error) => this.#commandError(command, sessionId, error),
    );
  }

  /** Set once Redis confirmed the connection is on the database asked for. */
  #onDatabase = false;
  #databaseCheck: Promise<void> | null = null;

  /**
   * Asks Redis, once per repository and before its first command, which database the
   * connection is on: a client whose SELECT failed (ioredis carries on on database 0) would
   * otherwise read, write and delete another database's keys. A wrong database is remembered
   * (every call rejects with {@link WrongDatabaseError}); a failed check is tried again.
   */
  #checkDatabase(): Promise<void> {
    this.#databaseCheck ??= this.#deadlines
      .run(
        this.connection.currentDatabase(),
        () => new RedisCommandError('CLIENT INFO', undefined, new Error(`no answer from Redis within ${this.options.commandTimeoutMs} ms (option commandTimeoutMs)`)),
        (error) => (error instanceof LapseError ? error : new RedisCommandError('CLIENT INFO', undefined, error)),
      )
      .then(
        (actual) => {
          if (actual !== this.options.database) throw new WrongDatabaseError(this.options.database, actual);
          this.#onDatabase = true;
        },
        (error: unknown) => {
          this.#databaseCheck = null;
          throw error;
        },
      );
    return this.#databaseCheck;
  }

  /** The error a failed command rejects with: lapse's own as they are, a wrong key type as corrupt data. */
  #commandError(command: string, sessionId: string | undefined, error: unknown): unknown {
    if (error instanceof LapseError) return error;
    if (error instanceof Error && error.message.startsWith('WRONGTYPE') && sessionId !== undefined) {
      return new CorruptSessionDataError(sessionId, this.keyspace.of(sessionId).sessionKey(sessionId), `a key of the session has the wrong type (${command})`, { cause: error });
    }
    return new RedisCommandError(command, sessionId, error);
  }
}

function ignore(): void {}
