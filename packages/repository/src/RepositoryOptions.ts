import type { SessionSerializer } from './serializer/SessionSerializer.js';
import type { SessionIdGenerator } from './session/SessionIdGenerator.js';
import type { PrincipalNameResolver } from './principal/PrincipalNameResolver.js';
import type { FlushMode, SaveMode } from './session/SaveMode.js';

/** Every option of {@link RedisIndexedSessionRepository}, with its default. */
export interface RedisIndexedSessionRepositoryOptions {
  /**
   * Prefix of every key and of the created channel, without the trailing `:`. (A connection
   * with ioredis's own `keyPrefix` is refused: lapse's scripts build keys it would not prefix.)
   * @defaultValue `'spring:session'` (Spring Session's, so a Java service can share sessions)
   */
  namespace?: string;
  /**
   * Inactivity timeout of new sessions, in seconds; negative means never expire.
   * @defaultValue `1800` (30 minutes, Spring's `DEFAULT_MAX_INACTIVE_INTERVAL_SECONDS`)
   */
  defaultMaxInactiveInterval?: number;
  /**
   * When changes reach Redis.
   * @defaultValue `'on-save'`
   */
  flushMode?: FlushMode;
  /**
   * Which attributes a save writes.
   * @defaultValue `'on-set-attribute'`
   */
  saveMode?: SaveMode;
  /**
   * node-cron expression (6 fields, seconds first) of the cleanup sweep that touches due
   * shadow keys so Redis expires them on time; `null` disables the schedule (call
   * `cleanupExpiredSessions()` yourself, or let another instance run it).
   * @defaultValue `'0 * * * * *'` (every minute at second 0, Spring's `DEFAULT_CLEANUP_CRON`)
   */
  cleanupCron?: string | null;
  /**
   * How sessions are filed by expiry.
   * - `'minute-buckets'`: Spring's default layout (`<ns>:expirations:<minute>` sets), swept on
   *   `cleanupCron`; an event lags its deadline by up to the cron interval.
   * - `'sorted-set'`: one sorted set `<ns>:sessions:expirations` (Spring's sorted-set store
   *   key), swept by a deadline-driven sweeper that wakes at the earliest deadline, so events
   *   come within milliseconds; `cleanupCron` then only says whether to sweep (`null`: never).
   * @defaultValue `'minute-buckets'`
   */
  expirationIndex?: 'minute-buckets' | 'sorted-set';
  /**
   * With `expirationIndex: 'sorted-set'`: the longest the sweeper sleeps, in ms (it wakes
   * sooner for deadlines it knows of; this bounds the lag of sessions saved by instances that
   * do not sweep).
   * @defaultValue `1000`
   */
  maxSweepIntervalMs?: number;
  /**
   * On a Redis Cluster: how many shards sessions are spread over. Each shard's keys share a
   * hash tag (`<ns>:{s<k>}:…`), so every per-session write stays one atomic script on one
   * node, while the shards spread over the masters. Ignored on a single Redis.
   * @defaultValue `16`
   */
  clusterShards?: number;
  /**
   * Converts each hash value to and from text.
   * @defaultValue a {@link JsonSessionSerializer} (JSON per value, readable by Spring's JSON serializer)
   */
  serializer?: SessionSerializer;
  /**
   * Makes new ids and recognises valid ones.
   * @defaultValue {@link defaultSessionIdGenerator} (192 random bits, base64url; also accepts UUIDs)
   */
  sessionIdGenerator?: SessionIdGenerator;
  /**
   * Finds a session's principal name for the principal index.
   * @defaultValue {@link defaultPrincipalNameResolver} (the `PRINCIPAL_NAME_INDEX_NAME` attribute, else `SPRING_SECURITY_CONTEXT.authentication.name`)
   */
  principalNameResolver?: PrincipalNameResolver;
  /**
   * Database number used in channel names. Must be the database the client is connected to.
   * @defaultValue the client's `options.db`, else `0`
   */
  database?: number;
  /**
   * Where errors of scheduled cleanup sweeps go (a failed sweep is retried at the next tick).
   * @defaultValue `process.emitWarning`
   */
  onCleanupError?: (error: Error) => void;
  /**
   * Approximate number of session-end records kept in the event stream (`<ns>:session-events`)
   * for listeners that were away. A listener away for longer than it takes to end this many
   * sessions misses the oldest.
   * @defaultValue `100000`
   */
  eventStreamMaxLength?: number;
  /**
   * Longest a session-end record stays in the event stream (`<ns>:session-events`), in
   * seconds: older records (by their stream ids, Redis's clock when they were written) are
   * removed whenever an end is recorded in that stream and at every sweep. A listener away for
   * longer misses them; `eventStreamMaxLength` may remove records sooner.
   * @defaultValue `86400` (24 hours)
   */
  eventStreamMaxAge?: number;
  /**
   * Longest a repository call waits for Redis before rejecting with a {@link RedisCommandError}
   * (for example while Redis is unreachable). A script that times out may still run when Redis
   * returns; every script is atomic and never resurrects a session, so nothing is half-written.
   * @defaultValue `10000`
   */
  commandTimeoutMs?: number;
  /**
   * ioredis only: whether the commands lapse sends within one tick go out together: lapse corks
   * the connection's socket before its first command of a tick and uncorks it after every 32 of
   * its commands (16 finds: a find is two commands, the others one) and at the end of the tick
   * (see the ioredis adapter, `IoredisConnection`), so commands the application sends on the
   * same connection in that tick join those writes. About halves the CPU time per operation
   * under concurrency; nothing waits longer than the current tick. `false` leaves the socket
   * alone. node-redis batches a tick's commands itself, whatever this option says.
   * @defaultValue `true`
   */
  coalesceWrites?: boolean;
  /**
   * Largest serialized attribute value, in bytes; a larger one makes `save` reject with a
   * {@link SessionSerializationError} before anything is written.
   * @defaultValue `1048576` (1 MiB)
   */
  maxAttributeBytes?: number;
  /**
   * The application clock, in epoch ms (for `creationTime`/`lastAccessedTime`; tests inject one).
   * Deadlines themselves are kept by Redis.
   * @defaultValue `Date.now`
   */
  clock?: () => number;
}

/** Options with every default applied. */
export type ResolvedRepositoryOptions = Required<Omit<RedisIndexedSessionRepositoryOptions, 'database'>> & {
  database: number;
};
