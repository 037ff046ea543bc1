/**
 * `@lapse/express-session`: an express-session (and @fastify/session) store on
 * `@lapse/repository`, with session-end events, "log out everywhere" and a keep-alive for
 * long-lived connections.
 * @packageDocumentation
 */
export { LapseStore } from './LapseStore.js';
export type { SessionDataWithId } from './LapseStore.js';
export { DEFAULT_TTL_SECONDS } from './LapseStoreOptions.js';
export type { LapseStoreOptions, PrincipalOf, TtlOf } from './LapseStoreOptions.js';
export { DeletionReason } from './deletionReasons.js';
export { sessionTtl } from './sessionTtl.js';
export { SessionKeepAlive, DEFAULT_KEEP_ALIVE_INTERVAL_MS } from './SessionKeepAlive.js';
export type { SessionKeepAliveOptions } from './SessionKeepAlive.js';
export type { StoreCallback } from './settle.js';
