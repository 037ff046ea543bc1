// Shared with the other packages' tests.
import { clientUnderTest, type ClientUnderTest, type SuiteRedis } from '@lapse/redis-harness/vitest';
import { afterAll, beforeAll } from 'vitest';

export { decodeAttribute, encodeAttribute, serializerOptions, TEST_SERIALIZER, TEST_SERIALIZER_KIND, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
export type { SuiteRedis } from '@lapse/redis-harness/vitest';

/**
 * The client the file's repositories get (`LAPSE_CLIENT`: ioredis, or node-redis 5/6 to the same
 * server), made in `beforeAll` from a new client of `redis`. A node-redis client is closed in
 * `afterAll`; the ioredis one is the harness's to close. Read `client` inside hooks and tests.
 */
export function useClientUnderTest(redis: SuiteRedis): { readonly client: ClientUnderTest } {
  let inspection: object | undefined;
  let client: ClientUnderTest | undefined;
  beforeAll(async () => {
    const ioredis = redis.client();
    inspection = ioredis;
    client = await clientUnderTest(ioredis);
  });
  afterAll(async () => {
    if (client !== undefined && client !== inspection) await (client as { close(): Promise<void> }).close();
  });
  return {
    get client(): ClientUnderTest {
      if (client === undefined) throw new Error('useClientUnderTest: the client is made in beforeAll; read it inside a hook or a test');
      return client;
    },
  };
}
