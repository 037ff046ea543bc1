/**
 * `@lapse/repository`: web sessions in Redis with Spring Session's indexed layout, and the
 * same interface in memory. Exactly the API README.md documents; lapse's own packages reach
 * further in through `@lapse/repository/internal`, which is not part of this API.
 * @packageDocumentation
 */
export { RedisIndexedSessionRepository } from './RedisIndexedSessionRepository.js';
export type { RedisIndexedSessionRepositoryOptions } from './RepositoryOptions.js';
export { MapSessionRepository } from './MapSessionRepository.js';
export type { MapSessionRepositoryOptions } from './MapSessionRepository.js';
export type {
  CreateSessionOptions,
  DeleteOptions,
  SessionEventType,
  SessionLifecycleEvent,
  SessionRepository,
} from './SessionRepository.js';
export { Session } from './session/Session.js';
export type { SessionData, SessionInit } from './session/Session.js';
export type { FoundSessions } from './session/FoundSessions.js';
export type { FlushMode, SaveMode } from './session/SaveMode.js';
export type { SessionIdGenerator } from './session/SessionIdGenerator.js';
export {
  LAPSE_PRINCIPAL_ATTRIBUTE,
  PRINCIPAL_NAME_INDEX_NAME,
  SPRING_SECURITY_CONTEXT,
} from './principal/PrincipalNameResolver.js';
export type { AttributeReader, PrincipalNameResolver } from './principal/PrincipalNameResolver.js';
export { JsonSessionSerializer } from './serializer/JsonSessionSerializer.js';
export { SpringJacksonSessionSerializer } from './serializer/SpringJacksonSessionSerializer.js';
export type { SessionSerializer } from './serializer/SessionSerializer.js';
export type { StoredSessionHash } from './find/SessionReader.js';
export type { SessionHashWrite, SessionHashWriteOutcome } from './save/SessionWriter.js';
export type { SessionMetadata } from './mapper/RedisSessionMapper.js';
export { reservedSessionIdReason } from './keys/reservedSessionIds.js';
export type { IoredisClient, NodeRedisClient, NodeRedisCluster, RedisClient } from './redis/clients/RedisClient.js';
export { LapseError } from './errors/LapseError.js';
export { InvalidArgumentError } from './errors/InvalidArgumentError.js';
export { SessionSerializationError } from './errors/SessionSerializationError.js';
export { CorruptSessionDataError } from './errors/CorruptSessionDataError.js';
export { RedisCommandError } from './errors/RedisCommandError.js';
export { WrongKeyTypeError } from './errors/WrongKeyTypeError.js';
export type { RedisKeyType } from './errors/WrongKeyTypeError.js';
export { WrongDatabaseError } from './errors/WrongDatabaseError.js';
export { ClusterKeysError } from './errors/ClusterKeysError.js';
export { KeyspaceNotificationsError } from './errors/KeyspaceNotificationsError.js';
