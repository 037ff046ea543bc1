/**
 * `@lapse/express-session`: an express-session (and @fastify/session) store on
 * `@lapse/repository`, with session-end events, "log out everywhere" and a keep-alive for
 * long-lived connections. Exactly the API README.md documents; lapse's own packages and tests
 * reach further in through `@lapse/express-session/internal`, which is not part of this API.
 * @packageDocumentation
 */
export { LapseStore } from './LapseStore.js';
/**
 * {@link LapseStore} under connect-redis's name, so moving an app from connect-redis is one
 * changed line: `import { RedisStore } from 'connect-redis'` becomes
 * `import { RedisStore } from '@lapse/express-session'`.
 */
export { LapseStore as RedisStore } from './LapseStore.js';
export type { AllSessions, SessionDataWithId } from './LapseStore.js';
export type { LapseStoreOptions, PrincipalOf, StoreClient, StoreRepositoryOptions, StoreSerializer, TtlOf } from './LapseStoreOptions.js';
export type { MigrateFrom } from './ConnectRedisMigration.js';
export type { StoreCallback } from './settle.js';
export { principalAttributeResolver } from './principalAttribute.js';
export { sessionCookie } from './cookieCodec.js';
export type { CookieJson } from './cookieCodec.js';
export { DeletionReason } from './deletionReasons.js';
export { SessionKeepAlive } from './SessionKeepAlive.js';
export type { SessionKeepAliveOptions } from './SessionKeepAlive.js';
