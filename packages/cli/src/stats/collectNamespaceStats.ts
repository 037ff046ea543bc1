import { type RedisIndexedSessionRepository } from '@lapse/repository';
import { bucketMinuteOf, indexMemberId, readKeyspaceEvents } from '@lapse/repository/internal';
import { redisTime } from '../redis/redisTime.js';
import { scanKeys } from '../redis/scanKeys.js';
import type { BucketState, NamespaceStats, OrphanedIndexEntry, StatsProblem } from './NamespaceStats.js';
import { singleRedis } from '../redis/singleRedis.js';

const MINUTE_MS = 60_000;

/** Options of {@link collectNamespaceStats}. */
export interface CollectStatsOptions {
  /** How many minutes ahead the histogram shows one by one. */
  readonly minutes: number;
  /** The Redis URL to report, without password. */
  readonly redis: string;
  /** Called with what is being read, for progress. */
  readonly onProgress?: (what: string) => void;
}

/** Counts live and ended sessions from the keys under `<ns>:sessions:` (other keys there, such as `:idx` sets, are skipped). */
async function countSessions(repository: RedisIndexedSessionRepository, onProgress: (what: string) => void): Promise<NamespaceStats['sessions']> {
  const keys = repository.keys;
  const shadows = new Set<string>();
  const hashes = new Set<string>();
  for await (const batch of scanKeys(singleRedis(repository), keys.sessionKeyPrefix)) {
    for (const key of batch) {
      const rest = key.slice(keys.sessionKeyPrefix.length);
      const id = repository.keyspace.sessionIdOfShadowKey(key);
      if (id !== null) {
        if (repository.isValidSessionId(id)) shadows.add(id);
      } else if (!rest.includes(':') && repository.isValidSessionId(rest)) {
        hashes.add(rest);
      }
    }
    onProgress(`counting sessions… ${shadows.size}`);
  }
  let ended = 0;
  for (const id of hashes) if (!shadows.has(id)) ended += 1;
  return { live: shadows.size, ended };
}

/** Every expiration bucket of the namespace with its size, TTL and registration. */
async function readBuckets(repository: RedisIndexedSessionRepository): Promise<BucketState[]> {
  const keys = repository.keys;
  const redis = singleRedis(repository);
  const registered = new Set((await redis.send('ZRANGE', [keys.bucketRegistryKey, 0, -1])) as string[]);
  const buckets: BucketState[] = [];
  for await (const batch of scanKeys(redis, keys.bucketKeyPrefix)) {
    const named = batch
      .map((key) => ({ key, minute: key.slice(keys.bucketKeyPrefix.length) }))
      .filter(({ minute }) => /^\d+$/.test(minute));
    // Sent in one tick: both clients write them together.
    const replies = await Promise.all(
      named.map(({ key }) => Promise.all([redis.send('SCARD', [key]).catch(() => null), redis.send('PTTL', [key]).catch(() => null)])),
    );
    named.forEach(({ key, minute }, i) => {
      const [members, ttl] = replies[i] ?? [null, null];
      if (typeof members !== 'number' || ttl === -2) return;
      buckets.push({
        key,
        minute: Number(minute),
        members,
        ttlMs: typeof ttl === 'number' && ttl >= 0 ? ttl : null,
        registered: registered.has(minute),
      });
    });
  }
  return buckets.sort((a, b) => a.minute - b.minute);
}

/** Principal-index sizes, and the entries whose session has neither hash nor shadow key. */
async function readPrincipalIndexes(
  repository: RedisIndexedSessionRepository,
): Promise<{ users: number; entries: number; orphans: OrphanedIndexEntry[] }> {
  const keys = repository.keys;
  const prefix = keys.principalIndexKey('');
  let users = 0;
  let entries = 0;
  const orphans: OrphanedIndexEntry[] = [];
  const redis = singleRedis(repository);
  for await (const batch of scanKeys(redis, prefix)) {
    for (const indexKey of batch) {
      const ids = (await redis.send('SMEMBERS', [indexKey]).catch(() => [])) as string[];
      users += 1;
      entries += ids.length;
      if (ids.length === 0) continue;
      // A member is the id, or the id as a JSON string (as Spring's JSON serializer writes it).
      const replies = await Promise.all(
        ids.map((member) => indexMemberId(member)).map((id) => redis.send('EXISTS', [keys.sessionKey(id), keys.shadowKey(id)]).catch(() => null)),
      );
      ids.forEach((sessionId, i) => {
        if (replies[i] === 0) orphans.push({ indexKey, sessionId });
      });
    }
  }
  return { users, entries, orphans };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The problems in what was read, each with its fix. */
function findProblems(
  repository: RedisIndexedSessionRepository,
  keyspaceEvents: NamespaceStats['keyspaceEvents'],
  wanted: string | null,
  buckets: readonly BucketState[],
  overdue: readonly BucketState[],
  orphans: readonly OrphanedIndexEntry[],
): StatsProblem[] {
  const problems: StatsProblem[] = [];
  if (keyspaceEvents.value !== null && keyspaceEvents.missing.length > 0) {
    problems.push({
      code: 'keyspace-events',
      message: `notify-keyspace-events is "${keyspaceEvents.value}", lacking ${keyspaceEvents.missing.join(', ')}: Redis publishes no del/expired events, so session ends go unnoticed`,
      fix: `lapse stats --fix (CONFIG SET notify-keyspace-events ${wanted ?? 'Egx'}); put it in redis.conf too`,
      fixable: true,
      keys: [],
    });
  }
  const withoutTtl = buckets.filter((b) => b.ttlMs === null);
  if (withoutTtl.length > 0) {
    problems.push({
      code: 'bucket-without-ttl',
      message: `${plural(withoutTtl.length, 'expiration bucket')} without a TTL (written by an old Spring Session, #3477): if no sweep takes ${withoutTtl.length === 1 ? 'it, it stays' : 'them, they stay'} forever`,
      fix: 'lapse stats --fix gives each the TTL lapse gives its buckets (a day past its minute)',
      fixable: true,
      keys: withoutTtl.map((b) => b.key),
    });
  }
  const unregistered = buckets.filter((b) => !b.registered && b.members > 0);
  if (unregistered.length > 0) {
    problems.push({
      code: 'bucket-unregistered',
      message: `${plural(unregistered.length, 'expiration bucket')} missing from ${repository.keys.bucketRegistryKey} (written by Spring Session?): lapse's sweep never takes ${unregistered.length === 1 ? 'it' : 'them'}, so expired events of ${plural(unregistered.reduce((n, b) => n + b.members, 0), 'session')} can come minutes late`,
      fix: 'lapse stats --fix adds them to the registry',
      fixable: true,
      keys: unregistered.map((b) => b.key),
    });
  }
  if (overdue.length > 0) {
    const sessions = overdue.reduce((n, b) => n + b.members, 0);
    problems.push({
      code: 'buckets-not-swept',
      message: `${plural(sessions, 'session')} in ${plural(overdue.length, 'bucket')} more than a minute overdue: no app runs the cleanup sweep (cleanupCron), so expired events come late, whenever Redis gets round to expiring the keys`,
      fix: "run an app (or 'lapse watch --sweep') with the cleanup sweep; lapse stats --fix sweeps once now",
      fixable: true,
      keys: overdue.map((b) => b.key),
    });
  }
  if (orphans.length > 0) {
    problems.push({
      code: 'orphaned-index-entries',
      message: `${plural(orphans.length, 'principal-index entry', 'principal-index entries')} of sessions that are gone (their end was never handled, so their end events were lost)`,
      fix: 'lapse stats --fix removes them (findByPrincipalName already skips them)',
      fixable: true,
      keys: orphans.map((o) => `${o.indexKey} ${o.sessionId}`),
    });
  }
  return problems;
}

/** Reads the statistics and problems of the repository's namespace. Changes nothing. */
export async function collectNamespaceStats(repository: RedisIndexedSessionRepository, options: CollectStatsOptions): Promise<NamespaceStats> {
  const progress = options.onProgress ?? (() => undefined);
  const redis = singleRedis(repository);
  const now = await redisTime(redis);
  const keyspace = await readKeyspaceEvents((name, args) => redis.send(name, args));
  const sessions = await countSessions(repository, progress);
  progress('reading expiration buckets…');
  const buckets = await readBuckets(repository);
  progress('reading principal indexes…');
  const indexes = await readPrincipalIndexes(repository);

  const first = bucketMinuteOf(now);
  const minutes = Array.from({ length: options.minutes }, (_, i) => ({ before: first + i * MINUTE_MS, sessions: 0 }));
  let overdueSessions = 0;
  let dueNow = 0;
  let later = 0;
  const overdue: BucketState[] = [];
  for (const bucket of buckets) {
    if (bucket.members === 0) continue;
    const row = Math.round((bucket.minute - first) / MINUTE_MS);
    if (bucket.minute < now - MINUTE_MS) {
      overdueSessions += bucket.members;
      overdue.push(bucket);
    } else if (row < 0) dueNow += bucket.members;
    else if (row < minutes.length) (minutes[row] as { sessions: number }).sessions += bucket.members;
    else later += bucket.members;
  }
  const keyspaceEvents = { value: keyspace.value, missing: keyspace.missing };
  return {
    namespace: repository.keys.namespace,
    redis: options.redis,
    database: repository.keys.database,
    now,
    sessions,
    principals: { users: indexes.users, entries: indexes.entries },
    keyspaceEvents,
    expiring: { overdue: overdueSessions, dueNow, minutes, later },
    problems: findProblems(repository, keyspaceEvents, keyspace.wanted, buckets, overdue, indexes.orphans),
  };
}
