import { RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import type { Redis } from 'ioredis';
import type { BenchClient } from './clients.js';

/**
 * The one place the bench builds a lapse repository from a client: only the client differs
 * between the rows of a peer.
 */
export function newLapseRepository(open: BenchClient, options: RedisIndexedSessionRepositoryOptions): RedisIndexedSessionRepository {
  return new RedisIndexedSessionRepository(open.client, options);
}

/** A repository on an ioredis connection the caller keeps (fills and checks). */
export function lapseRepositoryOn(redis: Redis, options: RedisIndexedSessionRepositoryOptions): RedisIndexedSessionRepository {
  return new RedisIndexedSessionRepository(redis, options);
}
