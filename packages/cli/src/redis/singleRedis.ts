import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { RedisConnection } from '@lapse/repository/internal';
import { CliError } from '../cli/CliError.js';

/**
 * The repository's connection when it is a single Redis. `lapse stats` reads the single-Redis
 * layout key by key; on a Cluster it says so instead of guessing.
 */
export function singleRedis(repository: RedisIndexedSessionRepository): RedisConnection {
  if (repository.connection.clustered) {
    throw new CliError("this is a Redis Cluster, and lapse stats reads a single Redis only: use 'lapse doctor' for a Cluster's topology and flags, 'lapse ls' for its sessions");
  }
  return repository.connection;
}
