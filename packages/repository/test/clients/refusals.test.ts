import { useRedis } from '@lapse/redis-harness/vitest';
import { Cluster, Redis } from 'ioredis';
import { RESP_TYPES, createClient, createCluster } from 'redis';
import { createClient as createClient6 } from 'redis6';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, type RedisClient } from '../../src/index.js';
import { toRedisConnection } from '../../src/internal.js';

const redis = useRedis();
const toClose: (() => void)[] = [];
afterAll(() => {
  for (const close of toClose) close();
});

/** The InvalidArgumentError `toRedisConnection` throws for `client`. */
function refusal(client: unknown): InvalidArgumentError {
  try {
    toRedisConnection(client as RedisClient);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('client');
    return error as InvalidArgumentError;
  }
  throw new Error('toRedisConnection accepted the client');
}

describe('toRedisConnection refuses what lapse cannot use, saying what to pass instead', () => {
  it('a node-redis client in legacy mode (5 and 6)', async () => {
    for (const create of [createClient, createClient6 as unknown as typeof createClient]) {
      const client = create({ url: redis.handle.url });
      client.on('error', () => undefined);
      await client.connect();
      toClose.push(() => client.destroy());
      expect(refusal(client.legacy()).message).toMatch(/legacy mode.*pass the client itself/);
      // The client itself is fine.
      expect(toRedisConnection(client as unknown as RedisClient).library).toBe('node-redis');
    }
  });

  it('a node-redis client or cluster not connected yet', () => {
    expect(refusal(createClient({ url: redis.handle.url })).message).toMatch(/not connected: call `await client.connect\(\)` first/);
    expect(refusal(createClient6({ url: redis.handle.url })).message).toMatch(/not connected/);
    expect(refusal(createCluster({ rootNodes: [{ url: redis.handle.url }] })).message).toMatch(/node-redis cluster that is not connected/);
  });

  it('an ioredis client with a keyPrefix', () => {
    const client = new Redis(redis.handle.url, { lazyConnect: true, keyPrefix: 'app:' });
    expect(refusal(client).message).toMatch(/keyPrefix \(got "app:"\).*namespace option/);
    const cluster = new Cluster([{ host: redis.handle.host, port: redis.handle.port }], { lazyConnect: true, redisOptions: { keyPrefix: 'app:' } });
    expect(refusal(cluster).message).toMatch(/keyPrefix/);
  });

  it('reply mappings that change replies', async () => {
    const resp3 = new Redis(redis.handle.url, { lazyConnect: true, protocol: 3, replyMapping: 'resp3' });
    expect(refusal(resp3).message).toMatch(/replyMapping "resp3".*'legacy'/);
    expect(refusal(new Redis(redis.handle.url, { lazyConnect: true, stringNumbers: true })).message).toMatch(/stringNumbers/);

    const buffers = createClient({ url: redis.handle.url, RESP: 3, commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } });
    buffers.on('error', () => undefined);
    await buffers.connect();
    toClose.push(() => buffers.destroy());
    expect(refusal(buffers).message).toMatch(/typeMapping that changes replies \(RESP type 36 to Buffer\)/);

    const plain = createClient({ url: redis.handle.url, RESP: 3 });
    plain.on('error', () => undefined);
    await plain.connect();
    toClose.push(() => plain.destroy());
    expect(refusal(plain.withTypeMapping({ [RESP_TYPES.MAP]: Map })).message).toMatch(/RESP type 37 to Map/);
    // A mapping that keeps RESP2 shapes is fine.
    expect(toRedisConnection(plain.withTypeMapping({ [RESP_TYPES.MAP]: Array }) as unknown as RedisClient).library).toBe('node-redis');
  });

  it('anything else', () => {
    expect(refusal(null).message).toMatch(/ioredis 6 Redis or Cluster, or a connected node-redis client/);
    expect(refusal({}).message).toMatch(/got a plain object/);
    expect(refusal(new Map()).message).toMatch(/got a Map/);
    expect(refusal('redis://localhost').message).toMatch(/got string/);
  });
});
