// An ended session's data (its record in `<ns>:session-events`) is kept
// for `eventStreamMaxAge` seconds (default 24 h), not until 100,000 later ends push it out.
// Records are written with explicit ids (a stream id is its time in ms) a little older and a
// little newer than the bound, measured from Redis's clock: no waiting.
import { InvalidArgumentError, RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const HOUR_MS = 3_600_000;

async function redisNowMs(client: Redis): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** A repository (no schedule: the test sweeps) and its stream, holding `count` records at each of `agesMs` before Redis's now. */
async function streamWithRecords(options: RedisIndexedSessionRepositoryOptions, agesMs: readonly number[], count: number) {
  const client = redis.client();
  const repository = await testRepository(client, { namespace: uniqueNamespace('retention'), cleanupCron: null, ...options });
  closers.push(() => repository.close());
  const stream = repository.keys.eventStreamKey;
  const now = await redisNowMs(client);
  // Oldest first: stream ids only grow. 150 per age fill more than one of Redis's stream nodes (100 entries).
  for (const age of [...agesMs].sort((a, b) => b - a)) {
    const pipeline = client.pipeline();
    for (let i = 0; i < count; i++) pipeline.xadd(stream, `${now - age}-${i}`, 'type', 'expired', 'id', `aged-${age}-${i}`, 'reason', '', 'hash', '[]', 'readable', '1', 'indexes', '[]');
    await pipeline.exec();
  }
  expect(await client.xlen(stream)).toBe(agesMs.length * count);
  /** How many records of each age are left, and how many others. */
  const left = async (): Promise<{ byAge: number[]; others: number }> => {
    const ids = ((await client.xrange(stream, '-', '+')) as [string, string[]][]).map(([, fields]) => fields[3] as string);
    const byAge = agesMs.map((age) => ids.filter((id) => id.startsWith(`aged-${age}-`)).length);
    return { byAge, others: ids.length - byAge.reduce((a, b) => a + b, 0) };
  };
  return { client, repository, left };
}

describe('event stream retention by age (eventStreamMaxAge)', () => {
  it('default 24 h: an end recorded by deleteById removes the records older than 24 h and keeps the younger ones', async () => {
    const { repository, left } = await streamWithRecords({}, [25 * HOUR_MS, 23 * HOUR_MS], 150);
    expect(repository.options.eventStreamMaxAge).toBe(86_400);
    const session = await repository.createSession();
    await repository.save(session);
    await repository.deleteById(session.id);
    expect(await left()).toEqual({ byAge: [0, 150], others: 1 });
  });

  it('a short age (60 s): the sweep that records an expiry removes the records of 2 minutes ago and keeps those of 10 s ago', async () => {
    const { repository, left } = await streamWithRecords({ eventStreamMaxAge: 60 }, [120_000, 10_000], 150);
    const session = await repository.createSession();
    session.maxInactiveInterval = 1;
    await repository.save(session);
    let swept = 0;
    await eventually(async () => (swept += await repository.cleanupExpiredSessions()), (n) => n === 1, 'the sweep to record the expiry', 10_000);
    expect(await left()).toEqual({ byAge: [0, 150], others: 1 });
  });

  it('a sweep with nothing due trims too, so records age out while no session ends', async () => {
    const { repository, left } = await streamWithRecords({ eventStreamMaxAge: 60 }, [120_000, 10_000], 150);
    expect(await repository.cleanupExpiredSessions()).toBe(0);
    expect(await left()).toEqual({ byAge: [0, 150], others: 0 });
  });

  it('a listener woken by a keyspace notification records the end with the same trim', async () => {
    // The claim script (the fast path) is the third writer of end records; called directly here.
    const { client, repository, left } = await streamWithRecords({ eventStreamMaxAge: 60 }, [120_000, 10_000], 150);
    const session = await repository.createSession();
    await repository.save(session);
    await client.del(repository.keys.shadowKey(session.id));
    await repository.sessionEnds.recordEnd(session.id, 'deleted');
    expect(await left()).toEqual({ byAge: [0, 150], others: 1 });
  });

  it("the hash after each kind of end: an expiry leaves its TTL (5 min past the deadline), deleteById keeps it 5 min with maxInactiveInterval 0; the stream's record keeps the data", async () => {
    const { client, repository } = await streamWithRecords({}, [], 0);
    const expiring = await repository.createSession();
    expiring.maxInactiveInterval = 1;
    expiring.setAttribute('user', 'ada');
    await repository.save(expiring);
    let swept = 0;
    await eventually(async () => (swept += await repository.cleanupExpiredSessions()), (n) => n === 1, 'the sweep to record the expiry', 10_000);
    // Saved with a 1 s timeout: the hash expires 301 s after the save, whatever the end.
    const afterExpiry = await client.pttl(repository.keys.sessionKey(expiring.id));
    expect(afterExpiry).toBeGreaterThan(290_000);
    expect(afterExpiry).toBeLessThanOrEqual(300_000);

    const deleted = await repository.createSession();
    deleted.setAttribute('user', 'grace');
    await repository.save(deleted);
    await repository.deleteById(deleted.id);
    const afterDelete = await client.pttl(repository.keys.sessionKey(deleted.id));
    expect(afterDelete).toBeGreaterThan(290_000);
    expect(afterDelete).toBeLessThanOrEqual(300_000);
    expect(await client.hget(repository.keys.sessionKey(deleted.id), 'maxInactiveInterval')).toBe('0');
    expect(await client.exists(repository.keys.shadowKey(deleted.id))).toBe(0);

    const records = (await client.xrange(repository.keys.eventStreamKey, '-', '+')) as [string, string[]][];
    expect(records.map(([, fields]) => [fields[1], fields[3], fields[7]?.includes('sessionAttr:user')])).toEqual([
      ['expired', expiring.id, true],
      ['deleted', deleted.id, true],
    ]);
  });

  it('eventStreamMaxAge must be a non-negative finite number of seconds', () => {
    const client = redis.client();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number]) {
      let thrown: unknown;
      try {
        new RedisIndexedSessionRepository(client, { eventStreamMaxAge: bad, cleanupCron: null });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect(thrown).toMatchObject({ argument: 'eventStreamMaxAge' });
      expect((thrown as Error).message).toContain('eventStreamMaxAge');
    }
    expect(new RedisIndexedSessionRepository(client, { eventStreamMaxAge: 0, cleanupCron: null }).options.eventStreamMaxAge).toBe(0);
    expect(new RedisIndexedSessionRepository(client, { eventStreamMaxAge: 1.5, cleanupCron: null }).options.eventStreamMaxAge).toBe(1.5);
  });
});
