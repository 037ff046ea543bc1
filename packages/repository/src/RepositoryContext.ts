import type { EventStreamRetention, ExpirationStrategy } from './expiration/ExpirationStrategy.js';
import { MinuteBucketExpiration } from './expiration/minute-buckets/MinuteBucketExpiration.js';
import { SortedSetExpiration } from './expiration/sorted-set/SortedSetExpiration.js';
import { SessionKeyspace } from './keys/SessionKeyspace.js';
import { reservedSessionIdReason } from './keys/reservedSessionIds.js';
import { sameShardId } from './keys/sessionIdRules.js';
import { RedisSessionMapper } from './mapper/RedisSessionMapper.js';
import type { RedisClient } from './redis/clients/RedisClient.js';
import type { RedisConnection } from './redis/clients/RedisConnection.js';
import { toRedisConnection } from './redis/clients/toRedisConnection.js';
import { RedisCalls } from './redis/RedisCalls.js';
import { checkRepositoryOptions } from './options/repositoryOptionRules.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import { eventStreamRetention, resolveRepositoryOptions } from './resolveRepositoryOptions.js';

/**
 * What the parts of a `RedisIndexedSessionRepository` share (its reader, its writer, its end
 * records), built once by its constructor and handed to each whole. Internal: not exported from
 * the package.
 */
export interface RepositoryContext {
  /** lapse's view of the application's client: every command goes through it. */
  readonly connection: RedisConnection;
  /** Which keys each session uses. */
  readonly keyspace: SessionKeyspace;
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedRepositoryOptions>;
  /** The application clock (`options.clock`), epoch ms. */
  readonly clock: () => number;
  /** Sessions to and from their hash fields. */
  readonly mapper: RedisSessionMapper;
  /** How every command and script is sent (timeout, error types, database check). */
  readonly calls: RedisCalls;
  /** How sessions are filed by expiry, and what sweeps them. */
  readonly expiration: ExpirationStrategy;
  /** The event stream's bounds as the scripts take them (`eventStreamMaxLength`, `eventStreamMaxAge` in ms). */
  readonly streamRetention: EventStreamRetention;
  /** The new id at an id change on a Cluster (same shard); `undefined` on a single Redis. */
  readonly changeId: ((current: string) => string) | undefined;
  /** Whether `id` could be a session id of this repository (never sent to Redis otherwise). Needs no `this`. */
  isValidId(id: string): boolean;
}

/**
 * Builds a repository's context. Options are checked first: a typo or a wrong type is refused
 * before the client is looked at (see {@link toRedisConnection} for the clients refused).
 */
export function repositoryContext(client: RedisClient, given: RedisIndexedSessionRepositoryOptions): RepositoryContext {
  checkRepositoryOptions(given);
  const coalesceWrites = given.coalesceWrites;
  const connection = toRedisConnection(client, typeof coalesceWrites === 'boolean' ? { coalesceWrites } : {});
  const clustered = connection.clustered;
  const options = Object.freeze(resolveRepositoryOptions(given, connection.requestedDatabase));
  const keyspace = new SessionKeyspace(options.namespace, options.database, clustered ? options.clusterShards : null);
  const generator = options.sessionIdGenerator;
  const changeId = clustered ? sameShardId(keyspace, generator.generate.bind(generator)) : undefined;
  const mapper = new RedisSessionMapper(options.serializer, keyspace, {
    saveMode: options.saveMode,
    idGenerator: generator,
    principalNameResolver: options.principalNameResolver,
    ...(changeId === undefined ? {} : { changeId }),
  }, options.maxAttributeBytes);
  const calls = new RedisCalls(connection, keyspace, options.database, options.commandTimeoutMs);
  const expiration = options.expirationIndex === 'sorted-set' ? new SortedSetExpiration(keyspace, calls, options) : new MinuteBucketExpiration(keyspace, calls, options);
  return {
    connection,
    keyspace,
    options,
    clock: options.clock,
    mapper,
    calls,
    expiration,
    streamRetention: eventStreamRetention(options),
    changeId,
    isValidId: (id) => typeof id === 'string' && generator.isValid(id) && reservedSessionIdReason(id) === null,
  };
}
