/**
 * `@lapse/repository`: web sessions in Redis with Spring Session's indexed layout, and the
 * same interface in memory.
 * @packageDocumentation
 */
export { RedisIndexedSessionRepository } from './RedisIndexedSessionRepository.js';
export { INDEX_REFERENCE_GRACE_MS, SESSION_DATA_GRACE_MS } from './grace-periods.js';
export { MapSessionRepository } from './MapSessionRepository.js';
export type { MapSessionRepositoryOptions } from './MapSessionRepository.js';
export type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
export { DEFAULT_CLEANUP_CRON, DEFAULT_MAX_INACTIVE_INTERVAL } from './resolveRepositoryOptions.js';
export { isLocalSessionEventSource } from './SessionRepository.js';
export type {
  CreateSessionOptions,
  DeleteOptions,
  LocalSessionEventSource,
  SessionEventType,
  SessionLifecycleEvent,
  SessionRepository,
} from './SessionRepository.js';
export { Session } from './session/Session.js';
export type { FoundSessions } from './session/FoundSessions.js';
export type { SessionData, SessionInit } from './session/Session.js';
export type { FlushMode, SaveMode } from './session/SaveMode.js';
export { defaultSessionIdGenerator } from './session/SessionIdGenerator.js';
export type { SessionIdGenerator } from './session/SessionIdGenerator.js';
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
export {
  LAPSE_PRINCIPAL_ATTRIBUTE,
  PRINCIPAL_NAME_INDEX_NAME,
  SPRING_SECURITY_CONTEXT,
  defaultPrincipalNameResolver,
} from './principal/PrincipalNameResolver.js';
export type { AttributeReader, PrincipalNameResolver } from './principal/PrincipalNameResolver.js';
export { JsonSessionSerializer } from './serializer/JsonSessionSerializer.js';
export { SPRING_SECURITY_CONTEXT_CLASS, SpringJacksonSessionSerializer } from './serializer/SpringJacksonSessionSerializer.js';
export type { SessionSerializer } from './serializer/SessionSerializer.js';
export type { SessionHashWrite, SessionHashWriteOutcome } from './save/SessionWriter.js';
export type { StoredSessionHash } from './find/SessionReader.js';
export type { SessionMetadata } from './mapper/RedisSessionMapper.js';
export { reservedSessionIdReason } from './keys/reservedSessionIds.js';
export { LapseError } from './errors/LapseError.js';
export { InvalidArgumentError } from './errors/InvalidArgumentError.js';
export { checkOptions, describeValue } from './options/checkOptions.js';
export type { CheckOptionsContext, OptionRule, OptionRules } from './options/checkOptions.js';
export { optionRule } from './options/optionRule.js';
export { nearestName } from './options/nearestName.js';
export { checkRepositoryOptions, REPOSITORY_OPTION_RULES } from './options/repositoryOptionRules.js';
export { SessionSerializationError } from './errors/SessionSerializationError.js';
export { CorruptSessionDataError } from './errors/CorruptSessionDataError.js';
export { RedisCommandError } from './errors/RedisCommandError.js';
export { toRedisConnection } from './redis/clients/toRedisConnection.js';
export type { RedisConnectionOptions } from './redis/clients/toRedisConnection.js';
export type { IoredisClient, NodeRedisClient, NodeRedisCluster, RedisClient } from './redis/clients/RedisClient.js';
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
export { ClusterKeysError } from './errors/ClusterKeysError.js';
export { WrongDatabaseError } from './errors/WrongDatabaseError.js';
export { WrongKeyTypeError } from './errors/WrongKeyTypeError.js';
export { KeyspaceNotificationsError } from './errors/KeyspaceNotificationsError.js';
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
export type { RedisKeyType } from './errors/WrongKeyTypeError.js';
/** How lapse stores its metadata fields and computes a session's expiry, for stores written on the same layout. */
export { decodeMetadata, encodeMetadata } from './mapper/metadataEncoding.js';
export { expiresAtOf } from './session/SessionState.js';
