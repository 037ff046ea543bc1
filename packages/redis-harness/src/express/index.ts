/**
 * The express test app: one express-session app with login/logout/read/write routes around a
 * given store, shared by the store's tests, the integration tests and the bench
 * (`@lapse/redis-harness/express`; needs `express` and `express-session`).
 */
export { createSessionApp, startSessionApp, type RunningApp, type SessionAppOptions } from './sessionApp.js';
