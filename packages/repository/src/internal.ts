/**
 * `@lapse/repository/internal`: what lapse's own packages (the listener, the express-session
 * store, the CLI, the benchmarks, the test harness) and tests reach inside the repository for:
 * key layout, hash fields, the Redis connection adapters, option checking, the keyspace
 * notification checks, the session-end stream. Not part of the public API (README.md's API
 * section is): no semver promise, any of it may change in any release.
 * @packageDocumentation
 */
export { INDEX_REFERENCE_GRACE_MS, SESSION_DATA_GRACE_MS } from './grace-periods.js';
export type { ResolvedRepositoryOptions } from './RepositoryOptions.js';
export { DEFAULT_CLEANUP_CRON, DEFAULT_MAX_INACTIVE_INTERVAL } from './resolveRepositoryOptions.js';
export { isLocalSessionEventSource } from './SessionRepository.js';
export type { LocalSessionEventSource } from './SessionRepository.js';
export { defaultSessionIdGenerator } from './session/SessionIdGenerator.js';
export { expiresAtOf } from './session/SessionState.js';
export { DEFAULT_NAMESPACE, SessionKeys } from './keys/SessionKeys.js';
export { globLiteral } from './keys/globLiteral.js';
export { indexMemberForms, indexMemberId } from './keys/indexMembers.js';
export { DEFAULT_CLUSTER_SHARDS, SessionKeyspace } from './keys/SessionKeyspace.js';
export { BUCKET_RETENTION_MS, bucketMinuteOf } from './expiration/minute-buckets/minute-bucket.js';
export type { SweepResult } from './expiration/ExpirationStrategy.js';
export {
  ATTRIBUTE_PREFIX,
  CREATION_TIME_FIELD,
  EVENT_RECORDED_FIELD,
  LAST_ACCESSED_TIME_FIELD,
  MAX_INACTIVE_INTERVAL_FIELD,
} from './mapper/RedisSessionMapper.js';
/** How lapse stores its metadata fields, for stores written on the same layout. */
export { decodeMetadata, encodeMetadata } from './mapper/metadataEncoding.js';
export { defaultPrincipalNameResolver } from './principal/PrincipalNameResolver.js';
export { SPRING_SECURITY_CONTEXT_CLASS } from './serializer/SpringJacksonSessionSerializer.js';
export { checkOptions, describeValue } from './options/checkOptions.js';
export type { CheckOptionsContext, OptionRule, OptionRules } from './options/checkOptions.js';
export { optionRule } from './options/optionRule.js';
export { nearestName } from './options/nearestName.js';
export { checkRepositoryOptions, REPOSITORY_OPTION_RULES } from './options/repositoryOptionRules.js';
export { toRedisConnection } from './redis/clients/toRedisConnection.js';
export type { RedisConnectionOptions } from './redis/clients/toRedisConnection.js';
export type {
  ClientLibrary,
  CommandArgument,
  RedisBlockingConnection,
  RedisConnection,
  RedisNodeConnection,
  RedisReply,
  RedisSubscriber,
  ScriptSource,
} from './redis/clients/RedisConnection.js';
/** A session's end as `@lapse/events` reads it: `repository.sessionEnds`. */
export type { SessionEnded, SessionEndReaderOptions, SessionEnds } from './session-ends/SessionEnds.js';
export type { SessionEndRecord } from './session-ends/SessionEndRecords.js';
export type { EventStreamReader, EventStreamReaderOptions, StreamEntry } from './session-ends/EventStreamReader.js';
export type { KeyeventFastPath } from './session-ends/keyspace/KeyeventFastPath.js';
/** The `notify-keyspace-events` setting the fast path needs (the listener, `lapse doctor`, `lapse stats`). */
export { ensureKeyspaceNotifications } from './session-ends/keyspace/ensureKeyspaceNotifications.js';
export type { KeyspaceNotificationsStatus } from './session-ends/keyspace/ensureKeyspaceNotifications.js';
export { isCommandForbidden, missingKeyspaceFlags, readKeyspaceEvents, withRequiredKeyspaceFlags } from './session-ends/keyspace/keyspace-flags.js';
export type { KeyspaceEventsState } from './session-ends/keyspace/keyspace-flags.js';
export { probeKeyspaceEvents, probeTargetOf } from './session-ends/keyspace/probeKeyspaceEvents.js';
export type { ProbeChannels, ProbeOutcome, ProbeTarget } from './session-ends/keyspace/probeKeyspaceEvents.js';
