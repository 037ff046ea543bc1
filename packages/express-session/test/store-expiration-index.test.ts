// LapseStore's sessions in the repository's expiration index (this run's kind: minute buckets or
// the sorted set), where the sweep finds them: filed when created, moved when their expiry moves
// (to another minute's bucket, or to a new score), kept in place by a touch within the same
// minute, and gone once destroyed.
import { LapseStore } from '@lapse/express-session';
import { storeSessionIdGenerator } from '@lapse/express-session/internal';
import { type RedisIndexedSessionRepository } from '@lapse/repository';
import { bucketMinuteOf } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { TEST_EXPIRATION_INDEX, testRepository } from '../../repository/test/support/testRepository.js';

const redis = useRedis();
let admin: Redis;
let repository: RedisIndexedSessionRepository;
let store: LapseStore;

beforeEach(async () => {
  admin = redis.client();
  repository = await testRepository(admin, { namespace: uniqueNamespace('store-index'), sessionIdGenerator: storeSessionIdGenerator, cleanupCron: null });
  store = new LapseStore({ repository, principal: (data) => (data as unknown as { user?: string }).user });
});
afterEach(async () => {
  await repository.close();
});

const SID = 'store-index-session';

/** Session data whose cookie expires at `expires` (epoch ms). */
function expiringAt(expires: number, user = 'ada'): SessionData {
  return { cookie: { originalMaxAge: null, expires: new Date(expires).toISOString(), httpOnly: true, path: '/' }, user } as unknown as SessionData;
}

/** Where the index files the session: its bucket's minute, or its sorted-set score; `null` when it is not filed. */
async function filedAt(): Promise<number | null> {
  if (TEST_EXPIRATION_INDEX === 'sorted-set') {
    const score = await admin.zscore(repository.keys.expirationSortedSetKey, SID);
    return score === null ? null : Number(score);
  }
  const minutes: number[] = [];
  for (const bucket of await admin.keys(`${repository.keys.bucketKeyPrefix}*`)) {
    if ((await admin.sismember(bucket, `expires:${SID}`)) === 1) minutes.push(Number(bucket.slice(repository.keys.bucketKeyPrefix.length)));
  }
  expect(minutes.length).toBeLessThanOrEqual(1);
  return minutes[0] ?? null;
}

/** Where the index should file the stored session: by its expiry (`lastAccessedTime + maxInactiveInterval`), which its cookie's sets. */
async function expectedPlacement(cookieExpires: number): Promise<number> {
  const session = await repository.findById(SID);
  if (session === null) throw new Error('missing');
  const expiresAt = session.lastAccessedTime + session.maxInactiveInterval * 1000;
  expect(Math.abs(expiresAt - cookieExpires)).toBeLessThan(1000);
  return TEST_EXPIRATION_INDEX === 'sorted-set' ? expiresAt : bucketMinuteOf(expiresAt);
}

describe(`store sessions in the expiration index (${TEST_EXPIRATION_INDEX})`, () => {
  it('are filed when created, moved when their expiry moves, and leave when destroyed', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const first = minute + 10 * 60_000 + 30_000;
    await store.set(SID, expiringAt(first));
    expect(await filedAt()).toBe(await expectedPlacement(first));

    // Read, then written back expiring a few minutes later (same principal: the lean script): refiled.
    const later = first + 3 * 60_000;
    await store.get(SID);
    await store.set(SID, expiringAt(later));
    expect(await filedAt()).toBe(await expectedPlacement(later));

    // A principal change takes the general script: the filing must follow there too.
    const latest = later + 2 * 60_000;
    await store.get(SID);
    await store.set(SID, expiringAt(latest, 'bob'));
    expect(await filedAt()).toBe(await expectedPlacement(latest));

    await store.destroy(SID);
    expect(await filedAt()).toBeNull();
  });
});
