import type { RedisConnection, RedisIndexedSessionRepository } from '@lapse/repository';

/**
 * The repository's connection when it is a single Redis. `lapse stats` reads the single-Redis
 * layout key by key; on a Cluster it says so instead of guessing.
 */
export function singleRedis(repository: RedisIndexedSessionRepository): RedisConnection {
  if (repository.connection.clustered) {
    throw new Error('lapse stats reads a single Redis; Redis Cluster is not supported by stats yet (lapse doctor checks a Cluster)');
  }
  return repository.connection;
}
