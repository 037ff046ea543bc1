/**
 * `@lapse/express-session`: an express-session (and @fastify/session) store on
 * `@lapse/repository`, with session-end events, "log out everywhere" and a keep-alive for
 * long-lived connections.
 * @packageDocumentation
 */
export { LapseStore } from './LapseStore.js';
export { CONNECT_REDIS_DEFAULT_PREFIX } from './ConnectRedisMigration.js';
export type { MigrateFrom } from './ConnectRedisMigration.js';
/**
 * {@link LapseStore} under connect-redis's name, so moving an app from connect-redis is one
 * changed line: `import { RedisStore } from 'connect-redis'` becomes
 * `import { RedisStore } from '@lapse/express-session'`.
 */
export { LapseStore as RedisStore } from './LapseStore.js';
export type { SessionDataWithId } from './LapseStore.js';
export { DEFAULT_SCAN_COUNT, DEFAULT_TTL_SECONDS } from './LapseStoreOptions.js';
export type { LapseStoreOptions, PrincipalOf, StoreClient, StoreRepositoryOptions, StoreSerializer, TtlOf } from './LapseStoreOptions.js';
export { principalAttributeResolver } from './principalAttribute.js';
export { sessionCookie } from './cookieCodec.js';
export type { CookieJson } from './cookieCodec.js';
export { MAX_SESSION_ID_LENGTH, storeSessionIdGenerator, unsafeSessionIdReason } from './storeSessionIds.js';
export { DeletionReason } from './deletionReasons.js';
export { SessionKeepAlive, DEFAULT_KEEP_ALIVE_INTERVAL_MS, DEFAULT_KEEP_ALIVE_REFRESH_FRACTION } from './SessionKeepAlive.js';
export type { SessionKeepAliveOptions } from './SessionKeepAlive.js';
export type { StoreCallback } from './settle.js';
