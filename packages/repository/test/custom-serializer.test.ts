import { deserialize, serialize } from 'node:v8';
import { useRedis } from '@lapse/redis-harness/vitest';
import { createClient } from 'redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository, type RedisClient, type RedisIndexedSessionRepositoryOptions, type SessionSerializer } from '../src/index.js';
import { bucketMinuteOf } from '../src/internal.js';

/** A serializer that is not JSON: V8's structured clone, as base64. */
const v8Base64: SessionSerializer = {
  serialize: (value) => serialize(value).toString('base64'),
  deserialize: (text) => deserialize(Buffer.from(text, 'base64')) as unknown,
};

const redis = useRedis();
const toClose: (() => void)[] = [];
afterAll(() => {
  for (const close of toClose) close();
});

let namespaces = 0;
const clients = [
  ['ioredis', async (): Promise<RedisClient> => redis.client()],
  ['node-redis 5', async (): Promise<RedisClient> => {
    const client = createClient({ url: redis.handle.url });
    client.on('error', () => undefined);
    await client.connect();
    toClose.push(() => client.destroy());
    return client as unknown as RedisClient;
  }],
] as const;

describe.each(clients)('with a non-JSON serializer (v8 as base64), on %s', (_name, open) => {
  let admin: Redis;
  beforeAll(() => {
    admin = redis.client();
  });
  const repositoryWith = async (options: RedisIndexedSessionRepositoryOptions = {}): Promise<RedisIndexedSessionRepository> =>
    new RedisIndexedSessionRepository(await open(), {
      namespace: `v8ser${process.pid}x${++namespaces}`,
      serializer: v8Base64,
      expirationIndex: 'minute-buckets',
      cleanupCron: null,
      ...options,
    });

  /** A saved session of `user` with a timeout of `interval` s; its id and minute bucket key. */
  async function saved(repository: RedisIndexedSessionRepository, user: string, interval = 600): Promise<{ id: string; bucket: string }> {
    const session = await repository.createSession({ maxInactiveInterval: interval });
    session.setAttribute('cart', new Map([['book', 2]]));
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
    await repository.save(session);
    return { id: session.id, bucket: repository.keys.bucketKey(bucketMinuteOf(session.lastAccessedTime + interval * 1000)) };
  }

  it('stores metadata as decimal text and attributes with the serializer, and reads both back', async () => {
    const repository = await repositoryWith();
    const { id } = await saved(repository, 'ada');
    const hash = await admin.hgetall(repository.keys.sessionKey(id));
    expect(hash['maxInactiveInterval']).toBe('600');
    expect(hash['creationTime']).toMatch(/^\d{13}$/);
    expect(hash['lastAccessedTime']).toBe(hash['creationTime']);
    expect(deserialize(Buffer.from(hash['sessionAttr:cart'] as string, 'base64'))).toEqual(new Map([['book', 2]]));
    const found = await repository.findById(id);
    expect(found?.getAttribute('cart')).toEqual(new Map([['book', 2]]));
    expect(found?.maxInactiveInterval).toBe(600);
    await repository.close();
  });

  it('a delete takes the session out of its minute bucket and its principal index', async () => {
    const repository = await repositoryWith();
    const { id, bucket } = await saved(repository, 'bob');
    const kept = await saved(repository, 'bob');
    expect(await admin.smembers(bucket)).toContain(`expires:${id}`);
    await repository.deleteById(id);
    expect(await admin.smembers(bucket)).not.toContain(`expires:${id}`);
    expect(await admin.smembers(bucket)).toContain(`expires:${kept.id}`);
    expect(await admin.smembers(repository.keys.principalIndexKey('bob'))).toEqual([kept.id]);
    expect(await admin.hget(repository.keys.sessionKey(id), 'maxInactiveInterval')).toBe('0');
    expect(await repository.findById(id)).toBeNull();
    await repository.close();
  });

  it('an end claimed from a keyspace notification takes the session out of its bucket and index', async () => {
    const repository = await repositoryWith();
    const { id, bucket } = await saved(repository, 'cy');
    // The shadow key expiring, as Redis would.
    await admin.del(repository.keys.shadowKey(id));
    await repository.sessionEnds.recordEnd(id, 'expired');
    expect(await admin.smembers(bucket)).not.toContain(`expires:${id}`);
    expect(await admin.smembers(repository.keys.principalIndexKey('cy'))).toEqual([]);
    const [record] = (await admin.xrange(repository.keys.eventStreamKey, '-', '+')).map(([, fields]) => fields);
    expect(record?.slice(0, 4)).toEqual(['type', 'expired', 'id', id]);
    await repository.close();
  });

  it('a sweep records the end of an expired session and cleans its bucket and index', async () => {
    const repository = await repositoryWith();
    const { id, bucket } = await saved(repository, 'dee', 1);
    // Past the deadline without waiting for it: the shadow key expires now, and its bucket is
    // registered as begun so this sweep takes it.
    await admin.pexpireat(repository.keys.shadowKey(id), 1);
    await admin.zadd(repository.keys.bucketRegistryKey, 0, bucket.slice(bucket.lastIndexOf(':') + 1));
    expect(await repository.cleanupExpiredSessions()).toBe(1);
    expect(await admin.smembers(bucket)).not.toContain(`expires:${id}`);
    expect(await admin.smembers(repository.keys.principalIndexKey('dee'))).toEqual([]);
    const records = (await admin.xrange(repository.keys.eventStreamKey, '-', '+')).map(([, fields]) => fields.slice(0, 4));
    expect(records).toEqual([['type', 'expired', 'id', id]]);
    await repository.close();
  });
});
