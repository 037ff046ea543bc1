import { RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import { clientUnderTest, serializerOptions } from '@lapse/redis-harness/vitest';
import type { Cluster, Redis } from 'ioredis';

/**
 * The expiration index this test run uses: the suite runs once per kind (vitest projects in
 * vitest.config.ts set `LAPSE_EXPIRATION_INDEX`).
 */
export const TEST_EXPIRATION_INDEX: 'minute-buckets' | 'sorted-set' =
  process.env.LAPSE_EXPIRATION_INDEX === 'sorted-set' ? 'sorted-set' : 'minute-buckets';

/**
 * A repository with this run's expiration index and serializer (`LAPSE_SERIALIZER`; options
 * given win) and this run's client
 * library (`LAPSE_CLIENT`): on the ioredis connection the test made, or on a node-redis
 * connection to the same server, database and user (see `clientUnderTest`).
 */
export async function testRepository(client: Redis | Cluster, options: RedisIndexedSessionRepositoryOptions = {}): Promise<RedisIndexedSessionRepository> {
  return new RedisIndexedSessionRepository(await clientUnderTest(client), { expirationIndex: TEST_EXPIRATION_INDEX, ...serializerOptions(), ...options });
}

/** How many sessions the expiration index still holds (buckets' members, or sorted-set entries). */
export async function filedSessions(client: Redis, repository: RedisIndexedSessionRepository): Promise<number> {
  if (repository.options.expirationIndex === 'sorted-set') return client.zcard(repository.keys.expirationSortedSetKey);
  const buckets = await client.keys(`${repository.keys.bucketKeyPrefix}*`);
  let members = 0;
  for (const bucket of buckets) members += await client.scard(bucket);
  return members;
}
