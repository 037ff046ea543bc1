import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import { globLiteral } from './globLiteral.js';
import { PRINCIPAL_NAME_INDEX_NAME } from '../principal/PrincipalNameResolver.js';

/** Spring Session's default namespace (`RedisIndexedSessionRepository.DEFAULT_NAMESPACE`). */
export const DEFAULT_NAMESPACE = 'spring:session';

/**
 * Every Redis key and channel lapse uses, built in one place. The layout is Spring Session's
 * (`docs/spring-session.md` §1), so a Java service with the same namespace and a JSON
 * serializer shares the sessions:
 *
 * | key | type | TTL |
 * |---|---|---|
 * | `<ns>:sessions:<id>` | hash: `creationTime`, `lastAccessedTime`, `maxInactiveInterval`, `sessionAttr:<name>` | maxInactiveInterval + 300 s |
 * | `<ns>:sessions:expires:<id>` | `0` (a value Redis shares; Spring writes an empty string), the "shadow" key whose expiry is the session's | maxInactiveInterval |
 * | `<ns>:expirations:<minute ms>` | set of `expires:<id>` due in the minute before | until swept, at most a day past the minute |
 * | `<ns>:index:<PRINCIPAL_NAME_INDEX_NAME>:<name>` | set of session ids | none (cleaned on every destroy) |
 * | `<ns>:sessions:expirations` | sorted set: id → expiry ms (with `expirationIndex: 'sorted-set'`, as Spring's store) | none |
 *
 * Two keys are lapse's own additions (Spring does not read them):
 * - `<ns>:sessions:<id>:idx`, a set of the index keys the session is filed in (the reactive
 *   Spring repository's reverse index), kept an hour past the hash so a destroy handled late
 *   still cleans the principal index (Spring #3410);
 * - `<ns>:expiration-minutes`, a sorted set of the minute buckets that hold sessions, so the
 *   sweep finds buckets of minutes in which no instance ran (Spring #2906);
 * - `<ns>:session-events`, a stream holding one record per session end (deleted or expired)
 *   with the session's last data, read by listeners through consumer groups, so an event
 *   survives a lost pub/sub message, a listener's disconnection or a Redis restart.
 */
export class SessionKeys {
  /** The namespace, trimmed, without a trailing `:`. */
  readonly namespace: string;
  /** The Redis database number the keyspace channels are for. */
  readonly database: number;
  /** `<ns>:sessions:expires:`: every shadow key starts with it. */
  readonly shadowKeyPrefix: string;
  /** `<ns>:sessions:`. */
  readonly sessionKeyPrefix: string;
  /** `<ns>:expirations:`. */
  readonly bucketKeyPrefix: string;
  /** `<ns>:expiration-minutes`. */
  readonly bucketRegistryKey: string;
  /** `<ns>:session-events`. */
  readonly eventStreamKey: string;
  /** `<ns>:sessions:expirations`, the sorted-set expiration index (Spring's key for it). */
  readonly expirationSortedSetKey: string;
  /** `__keyevent@<db>__:expired`. */
  readonly expiredChannel: string;
  /** `__keyevent@<db>__:del`. */
  readonly deletedChannel: string;
  /** `<ns>:event:<db>:created:`. */
  readonly createdChannelPrefix: string;
  /** The PSUBSCRIBE pattern for created events, with glob characters of the namespace escaped. */
  readonly createdChannelPattern: string;
  /** The SCAN MATCH pattern of every shadow key. */
  readonly shadowKeyPattern: string;

  readonly #keyNamespace: string;
  /** The Redis Cluster shard these keys belong to (hash tag `{<shard>}`), or `null` on a single Redis. */
  readonly shard: string | null;

  /**
   * @param shard - on a Redis Cluster, the shard: every key then starts `<ns>:{<shard>}:` so all
   *   of one session's keys and its shard's indexes and stream share a slot. Channels keep `<ns>`.
   */
  constructor(namespace: string = DEFAULT_NAMESPACE, database = 0, shard: string | null = null) {
    const ns = typeof namespace === 'string' ? namespace.trim().replace(/:+$/, '') : '';
    if (ns.length === 0 || /\s/.test(ns)) {
      throw new InvalidArgumentError('namespace', `must be a non-empty string without white space, got ${JSON.stringify(namespace)}`);
    }
    if (shard !== null && /[{}]/.test(ns)) {
      throw new InvalidArgumentError('namespace', 'must not contain { or } on a Redis Cluster (lapse adds its own hash tags)');
    }
    this.shard = shard;
    const keyNs = shard === null ? ns : `${ns}:{${shard}}`;
    if (!Number.isInteger(database) || database < 0) {
      throw new InvalidArgumentError('database', `must be a non-negative integer, got ${String(database)}`);
    }
    this.namespace = ns;
    this.database = database;
    this.#keyNamespace = keyNs;
    this.sessionKeyPrefix = `${keyNs}:sessions:`;
    this.shadowKeyPrefix = `${keyNs}:sessions:expires:`;
    this.bucketKeyPrefix = `${keyNs}:expirations:`;
    this.bucketRegistryKey = `${keyNs}:expiration-minutes`;
    this.eventStreamKey = `${keyNs}:session-events`;
    this.expirationSortedSetKey = `${keyNs}:sessions:expirations`;
    this.expiredChannel = `__keyevent@${database}__:expired`;
    this.deletedChannel = `__keyevent@${database}__:del`;
    this.createdChannelPrefix = `${ns}:event:${database}:created:`;
    this.createdChannelPattern = `${globLiteral(this.createdChannelPrefix)}*`;
    this.shadowKeyPattern = `${globLiteral(this.shadowKeyPrefix)}*`;
  }

  /** `<ns>:sessions:<id>`, the session hash. */
  sessionKey(id: string): string {
    return this.sessionKeyPrefix + id;
  }

  /** `<ns>:sessions:expires:<id>`, the shadow key carrying the real TTL. */
  shadowKey(id: string): string {
    return this.shadowKeyPrefix + id;
  }

  /** `<ns>:sessions:<id>:idx`, the set of index keys the session is filed in. */
  indexReferenceKey(id: string): string {
    return `${this.sessionKeyPrefix}${id}:idx`;
  }

  /** `<ns>:expirations:<minute ms>`. */
  bucketKey(minute: number): string {
    return this.bucketKeyPrefix + String(minute);
  }

  /** `expires:<id>`, a session's member in its bucket (Spring's exact form). */
  bucketMember(id: string): string {
    return `expires:${id}`;
  }

  /** `<ns>:index:<PRINCIPAL_NAME_INDEX_NAME>:<name>`. */
  principalIndexKey(principalName: string): string {
    return `${this.#keyNamespace}:index:${PRINCIPAL_NAME_INDEX_NAME}:${principalName}`;
  }

  /** `<ns>:event:<db>:created:<id>`, where a new session is announced. */
  createdChannel(id: string): string {
    return this.createdChannelPrefix + id;
  }

  /** The id in a created-event channel name, or `null` for any other channel. */
  sessionIdOfCreatedChannel(channel: string): string | null {
    return channel.startsWith(this.createdChannelPrefix) ? channel.slice(this.createdChannelPrefix.length) : null;
  }
}
