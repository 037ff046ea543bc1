import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Redis } from 'ioredis';

/**
 * The repository's connection when it is a single Redis. `lapse stats` reads the single-Redis
 * layout key by key; on a Cluster it says so instead of guessing.
 */
export function singleRedis(repository: RedisIndexedSessionRepository): Redis {
  if (repository.connection.clustered) {
    throw new Error('lapse stats reads a single Redis; Redis Cluster is not supported by stats yet (lapse doctor checks a Cluster)');
  }
  if (repository.connection.library !== 'ioredis') throw new Error('lapse stats reads Redis through ioredis');
  return repository.client as unknown as Redis;
}
