import * as repositoryModule from '@lapse/repository';
import { RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import type { Redis } from 'ioredis';
import { CLIENT_LABELS, type BenchClient } from './clients.js';

/**
 * Whether this build's repository takes node-redis clients: the client seam (issue 10) exports
 * `toRedisConnection` with the constructor that accepts either library.
 */
export const REPOSITORY_TAKES_NODE_REDIS = Object.hasOwn(repositoryModule, 'toRedisConnection');

/** A row that cannot run on this build (its cell reads "n/a" with this reason). */
export class ClientNotSupportedError extends Error {
  override readonly name = 'ClientNotSupportedError';
}

/**
 * The one place the bench builds a lapse repository from a client: only the client differs
 * between the rows of a peer.
 */
export function newLapseRepository(open: BenchClient, options: RedisIndexedSessionRepositoryOptions): RedisIndexedSessionRepository {
  if (open.kind !== 'ioredis' && !REPOSITORY_TAKES_NODE_REDIS) {
    throw new ClientNotSupportedError(`this build's repository takes ioredis only (the client seam is not merged), not ${CLIENT_LABELS[open.kind]}`);
  }
  return new RedisIndexedSessionRepository(open.client as never, options);
}

/** A repository on an ioredis connection the caller keeps (fills and checks). */
export function lapseRepositoryOn(redis: Redis, options: RedisIndexedSessionRepositoryOptions): RedisIndexedSessionRepository {
  return newLapseRepository({ kind: 'ioredis', client: redis, close: async () => undefined }, options);
}
