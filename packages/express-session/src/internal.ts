/**
 * `@lapse/express-session/internal`: the store's defaults and session-id rules, for lapse's own
 * packages and tests. Not part of the public API (README.md's API section is): no semver
 * promise, any of it may change in any release.
 * @packageDocumentation
 */
export { CONNECT_REDIS_DEFAULT_PREFIX } from './ConnectRedisMigration.js';
export { DEFAULT_SCAN_COUNT, DEFAULT_TTL_SECONDS } from './LapseStoreOptions.js';
export { MAX_SESSION_ID_LENGTH, storeSessionIdGenerator, unsafeSessionIdReason } from './storeSessionIds.js';
export { DEFAULT_KEEP_ALIVE_INTERVAL_MS, DEFAULT_KEEP_ALIVE_REFRESH_FRACTION } from './SessionKeepAlive.js';
