/**
 * The express example: express-session on lapse, with WebSockets closed when their session ends.
 * @packageDocumentation
 */
export { startExampleServer } from './startExampleServer.js';
export type { ExampleServer, ExampleServerOptions } from './startExampleServer.js';
export { createExampleApp } from './createExampleApp.js';
export type { ExampleApp, ExampleAppOptions } from './createExampleApp.js';
export { attachSessionSockets } from './attachSessionSockets.js';
export type { SessionSocketsOptions } from './attachSessionSockets.js';
export { closeReason, SESSION_ENDED_CLOSE_CODE, listDevices } from '@lapse/example-shared';
export type { Device } from '@lapse/example-shared';
export { principalOf } from './principalOf.js';
