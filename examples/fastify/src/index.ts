/**
 * The fastify example: @fastify/session on lapse, the express example's page, and WebSockets closed when their session ends.
 * @packageDocumentation
 */
export { buildFastifyApp } from './buildFastifyApp.js';
export { MIN_SECRET_LENGTH } from './buildFastifyApp.js';
export type { FastifyApp, FastifyAppOptions } from './buildFastifyApp.js';
export { startFastifyExample } from './startFastifyExample.js';
export type { FastifyExample, FastifyExampleOptions } from './startFastifyExample.js';
export { principalOf } from './principalOf.js';
