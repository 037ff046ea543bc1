/**
 * The fastify example: @fastify/session on lapse.
 * @packageDocumentation
 */
export { buildFastifyApp } from './buildFastifyApp.js';
export type { FastifyAppOptions } from './buildFastifyApp.js';
export { startFastifyExample } from './startFastifyExample.js';
export type { FastifyExample, FastifyExampleOptions } from './startFastifyExample.js';
export { principalOf } from './principalOf.js';
