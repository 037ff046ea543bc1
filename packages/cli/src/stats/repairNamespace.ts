import { createHash } from 'node:crypto';
import { type RedisIndexedSessionRepository } from '@lapse/repository';
import { BUCKET_RETENTION_MS, ensureKeyspaceNotifications, type ScriptSource } from '@lapse/repository/internal';
import type { StatsProblem } from './NamespaceStats.js';
import { singleRedis } from '../redis/singleRedis.js';

/** A bucket given a TTL now lives at least this long, so a sweep can still take it. */
const MIN_BUCKET_TTL_MS = 10 * 60_000;

/** KEYS: bucket. ARGV: expire-at ms, least TTL ms. Gives a TTL only if it still has none. */
const GIVE_BUCKET_TTL = `
if redis.call('PTTL', KEYS[1]) ~= -1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(tonumber(ARGV[1]), now + tonumber(ARGV[2]))
redis.call('PEXPIREAT', KEYS[1], string.format('%d', at))
return 1
`;

/** KEYS: bucket, registry. ARGV: minute. Registers the bucket if it (still) exists. */
const REGISTER_BUCKET = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[1])
`;

/** KEYS: index, hash, shadow key. ARGV: id. Removes the entry only if the session is (still) gone. */
const REMOVE_ORPHAN = `
if redis.call('EXISTS', KEYS[2], KEYS[3]) > 0 then return 0 end
return redis.call('SREM', KEYS[1], ARGV[1])
`;

/** A script as the seam runs it (EVALSHA, then EVAL once on NOSCRIPT). */
function script(source: string): ScriptSource {
  return { sha: createHash('sha1').update(source).digest('hex'), source };
}

const GIVE_BUCKET_TTL_SCRIPT = script(GIVE_BUCKET_TTL);
const REGISTER_BUCKET_SCRIPT = script(REGISTER_BUCKET);
const REMOVE_ORPHAN_SCRIPT = script(REMOVE_ORPHAN);

/** One repair `lapse stats --fix` made. */
export interface Repair {
  readonly code: StatsProblem['code'];
  /** What was done, one line. */
  readonly done: string;
}

/**
 * Repairs what can be repaired safely, each check and change atomic (a Lua script re-checks
 * the condition in Redis), in this order: keyspace notifications first (so the sweep's expiries
 * are published), then bucket TTLs and registrations, a sweep, and orphaned index entries.
 */
export async function repairNamespace(repository: RedisIndexedSessionRepository, problems: readonly StatsProblem[]): Promise<Repair[]> {
  const redis = singleRedis(repository);
  const keys = repository.keys;
  const repairs: Repair[] = [];
  const of = (code: StatsProblem['code']): StatsProblem | undefined => problems.find((p) => p.code === code);

  if (of('keyspace-events') !== undefined) {
    const status = await ensureKeyspaceNotifications(redis, true);
    if (status.state === 'configured') repairs.push({ code: 'keyspace-events', done: `notify-keyspace-events set to "${status.value}"` });
  }
  const withoutTtl = of('bucket-without-ttl');
  if (withoutTtl !== undefined) {
    let given = 0;
    for (const key of withoutTtl.keys) {
      const minute = Number(key.slice(keys.bucketKeyPrefix.length));
      given += Number(await redis.runScript(GIVE_BUCKET_TTL_SCRIPT, [key], [minute + BUCKET_RETENTION_MS, MIN_BUCKET_TTL_MS]));
    }
    repairs.push({ code: 'bucket-without-ttl', done: `gave ${given} expiration bucket${given === 1 ? '' : 's'} a TTL` });
  }
  const unregistered = of('bucket-unregistered');
  if (unregistered !== undefined) {
    let added = 0;
    for (const key of unregistered.keys) {
      added += Number(await redis.runScript(REGISTER_BUCKET_SCRIPT, [key, keys.bucketRegistryKey], [key.slice(keys.bucketKeyPrefix.length)]));
    }
    repairs.push({ code: 'bucket-unregistered', done: `registered ${added} expiration bucket${added === 1 ? '' : 's'}` });
  }
  if (of('buckets-not-swept') !== undefined || unregistered !== undefined) {
    const touched = await repository.cleanupExpiredSessions();
    repairs.push({ code: 'buckets-not-swept', done: `swept once: ${touched} due session${touched === 1 ? '' : 's'} expired now` });
  }
  const orphans = of('orphaned-index-entries');
  if (orphans !== undefined) {
    let removed = 0;
    for (const entry of orphans.keys) {
      const cut = entry.lastIndexOf(' ');
      const indexKey = entry.slice(0, cut);
      const id = entry.slice(cut + 1);
      removed += Number(await redis.runScript(REMOVE_ORPHAN_SCRIPT, [indexKey, keys.sessionKey(id), keys.shadowKey(id)], [id]));
    }
    repairs.push({ code: 'orphaned-index-entries', done: `removed ${removed} orphaned principal-index entr${removed === 1 ? 'y' : 'ies'}` });
  }
  return repairs;
}
