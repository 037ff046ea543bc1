import { type RedisConnection, type RedisIndexedSessionRepository, toRedisConnection } from '@lapse/repository';

const connections = new WeakMap<RedisIndexedSessionRepository, RedisConnection>();

/**
 * The repository's seam connection. Interim: until the repository exposes
 * `repository.connection` (branch `seam`), one is made from its client, once per repository.
 */
export function repositoryConnection(repository: RedisIndexedSessionRepository): RedisConnection {
  const own = (repository as unknown as { connection?: RedisConnection }).connection;
  if (own !== undefined) return own;
  let connection = connections.get(repository);
  if (connection === undefined) {
    connection = toRedisConnection(repository.redis, { coalesceWrites: false });
    connections.set(repository, connection);
  }
  return connection;
}
