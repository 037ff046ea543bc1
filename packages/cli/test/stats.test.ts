// lapse stats on a fresh Redis: counts, the per-minute histogram, every problem it warns about,
// and --fix repairing them without touching live sessions.
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { BUCKET_RETENTION_MS, bucketMinuteOf } from '@lapse/repository/internal';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lapse } from './support/lapse.js';
import { closeClientUnderTest, uniqueNamespace, useRedis } from './support/redis.js';

// Fresh: the test changes notify-keyspace-events, so it must not share a REDIS_URL server.
const redis = useRedis({ fresh: true });
const namespace = uniqueNamespace('stats');
let admin: Redis;
let repository: RedisIndexedSessionRepository;
const live: string[] = [];
const HOUR = 3_600_000;

const run = (...args: string[]): ReturnType<typeof lapse> => lapse([...args, '--redis', redis.handle.url, '--namespace', namespace]);

interface StatsJson {
  sessions: { live: number; ended: number };
  principals: { users: number; entries: number };
  keyspaceEvents: { value: string | null; missing: string[] };
  expiring: { overdue: number; dueNow: number; minutes: { before: number; sessions: number }[]; later: number };
  problems: { code: string; message: string; fix: string; fixable: boolean; keys: string[] }[];
  repairs?: { code: string; done: string }[];
}

let buckets: { withoutTtl: string; unregistered: string; overdue: string };
let indexKey: string;

beforeAll(async () => {
  admin = redis.client();
  await admin.config('SET', 'notify-keyspace-events', '');
  repository = new RedisIndexedSessionRepository(await clientUnderTest(admin), { namespace, cleanupCron: null });
  for (const [user, timeout] of [['ada', 90], ['ada', 150], ['grace', 1800]] as const) {
    const session = await repository.createSession({ maxInactiveInterval: timeout });
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
    await repository.save(session);
    live.push(session.id);
  }
  // What older writers and missed events leave behind (Spring #3477, #2906, #2869).
  const keys = repository.keys;
  const now = Date.now();
  const withoutTtl = bucketMinuteOf(now + 2 * HOUR);
  const unregistered = bucketMinuteOf(now + 3 * HOUR);
  const overdue = bucketMinuteOf(now - 5 * 60_000);
  buckets = { withoutTtl: keys.bucketKey(withoutTtl), unregistered: keys.bucketKey(unregistered), overdue: keys.bucketKey(overdue) };
  await admin.sadd(buckets.withoutTtl, 'expires:ghost-without-ttl');
  await admin.zadd(keys.bucketRegistryKey, withoutTtl, String(withoutTtl));
  await admin.sadd(buckets.unregistered, 'expires:ghost-unregistered');
  await admin.pexpireat(buckets.unregistered, unregistered + BUCKET_RETENTION_MS);
  await admin.sadd(buckets.overdue, 'expires:ghost-overdue');
  await admin.pexpireat(buckets.overdue, overdue + BUCKET_RETENTION_MS);
  await admin.zadd(keys.bucketRegistryKey, overdue, String(overdue));
  indexKey = keys.principalIndexKey('ada');
  await admin.sadd(indexKey, 'ghost-session-of-ada');
  // A live session's entry as Spring's JSON serializer writes set members (a JSON string): not an orphan.
  await admin.sadd(keys.principalIndexKey('grace'), `"${live[2]!}"`);
});

afterAll(async () => {
  await repository?.close();
  await closeClientUnderTest(repository?.client, admin);
});

describe('lapse stats', () => {
  it('counts sessions, draws expiries per minute, and lists every problem, exit 1', async () => {
    const text = await run('stats', '--minutes', '5');
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^sessions +3 live, 0 ended/m);
    expect(text.stdout).toMatch(/^principals +2 users, 5 index entries$/m);
    expect(text.stdout).toMatch(/^keyspace events notify-keyspace-events "" \(missing E, g, x\)$/m);
    expect(text.stdout).toMatch(/^ {2}overdue +1 {2}#+$/m);
    expect(text.stdout.match(/^ {2}before \d\d:\d\d +\d+/gm)).toHaveLength(5);
    expect(text.stdout).toMatch(/^problems \(5\)$/m);
    expect(text.stdout).toContain('fix: lapse stats --fix');

    const json = await run('stats', '--minutes', '5', '--json');
    expect(json.code).toBe(1);
    const stats = JSON.parse(json.stdout) as StatsJson;
    expect(stats.sessions).toEqual({ live: 3, ended: 0 });
    expect(stats.keyspaceEvents).toEqual({ value: '', missing: ['E', 'g', 'x'] });
    // 90 s and 150 s fall within the next 5 minutes; 1800 s and the two future ghosts later.
    expect(stats.expiring.minutes.reduce((n, m) => n + m.sessions, 0)).toBe(2);
    expect(stats.expiring.overdue).toBe(1);
    expect(stats.expiring.later).toBe(3);
    expect(stats.problems.map((p) => p.code)).toEqual([
      'keyspace-events',
      'bucket-without-ttl',
      'bucket-unregistered',
      'buckets-not-swept',
      'orphaned-index-entries',
    ]);
    expect(stats.problems.every((p) => p.fixable)).toBe(true);
    const keysOf = (code: string): string[] => stats.problems.find((p) => p.code === code)?.keys ?? [];
    expect(keysOf('bucket-without-ttl')).toEqual([buckets.withoutTtl]);
    expect(keysOf('bucket-unregistered')).toEqual([buckets.unregistered]);
    expect(keysOf('buckets-not-swept')).toEqual([buckets.overdue]);
    expect(keysOf('orphaned-index-entries')).toEqual([`${indexKey} ghost-session-of-ada`]);
  });

  it('--fix repairs all of it, leaves live sessions alone, and then exits 0', async () => {
    const fixed = await run('stats', '--fix');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/^fixed: notify-keyspace-events set to "E?gxE?"$/m);
    expect(fixed.stdout).toContain('fixed: gave 1 expiration bucket a TTL');
    expect(fixed.stdout).toContain('fixed: registered 1 expiration bucket');
    expect(fixed.stdout).toMatch(/^fixed: swept once: \d+ due sessions? expired now$/m);
    expect(fixed.stdout).toContain('fixed: removed 1 orphaned principal-index entry');
    expect(fixed.stdout).toMatch(/^no problems found$/m);

    const flags = ((await admin.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '';
    expect(flags).toMatch(/E/);
    expect(await admin.pttl(buckets.withoutTtl)).toBeGreaterThan(2 * HOUR);
    expect(await admin.zscore(repository.keys.bucketRegistryKey, buckets.unregistered.split(':').pop() as string)).not.toBeNull();
    expect(await admin.exists(buckets.overdue)).toBe(0);
    expect((await admin.smembers(indexKey)).sort()).toEqual([live[0], live[1]].sort());
    expect((await admin.smembers(repository.keys.principalIndexKey('grace'))).sort()).toEqual([live[2], `"${live[2]!}"`].sort());
    for (const id of live) expect(await repository.findById(id)).not.toBeNull();

    const again = await run('stats');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^no problems found$/m);
  });
});
