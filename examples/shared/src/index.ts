/**
 * What the lapse examples share.
 * @packageDocumentation
 */
export { connectOrExit, connectRedisClient, DEFAULT_REDIS_URL, exitWith, RedisUnreachableError } from './connectRedisClient.js';
export type { ExampleRedisClient } from './connectRedisClient.js';
export { attachSessionSockets, closeSessionSockets } from './attachSessionSockets.js';
export type { SessionSocketsOptions, SocketOwner } from './attachSessionSockets.js';
export { closeReason, SESSION_ENDED_CLOSE_CODE } from './closeReason.js';
export { listDevices } from './listDevices.js';
export type { Device } from './listDevices.js';
export { PUBLIC_DIR } from './publicDir.js';
export { MAX_SESSION_SECONDS, parseLogin } from './parseLogin.js';
export type { Login } from './parseLogin.js';
export { exampleStart } from './exampleStart.js';
export type { ExampleStart, ExampleStartOptions } from './exampleStart.js';
