import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_HELPERS } from './lua-helpers.js';

/**
 * The cleanup sweep over Spring's minute buckets, atomic so that many app instances sweeping
 * at the same second touch each due key once, not once per instance (Spring #899).
 *
 * "Now" is Redis's clock (TIME), not the app's. The sweep takes every registered bucket whose
 * minute has begun: the ones already past, including minutes in which no instance ran
 * (Spring #2906), and the current one, so that with a cron firing every few seconds a
 * session's event lags by the cron interval rather than by up to a minute. Each member's
 * shadow key is touched with PTTL, never deleted (Spring gh-93): a due key is expired by Redis
 * right now and raises `expired`, and the sweep records the session's end with its last data
 * in the event stream (unless a listener or deleteById recorded it first). A key that is
 * not due stays filed: in its bucket if that is
 * still the right one, else (an app clock behind Redis's filed it too early) in the bucket of
 * its real deadline. A bucket is deleted once nothing in it is left to wait for.
 *
 * A key without a TTL (the session became never-expiring) is only unfiled.
 */
export const sweepMinuteBucketsScript = new LuaScript(
  'lapse:sweep-minute-buckets',
  `${LUA_HELPERS}
local registry_key, stream_key = KEYS[1], KEYS[2]
local bucket_prefix, shadow_prefix, max_buckets, retention_ms, session_prefix, stream_max_length =
  ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], ARGV[6]
local stream_max_age_ms = ARGV[7]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
trim_by_age(stream_key, now, stream_max_age_ms)
local started = redis.call('ZRANGEBYSCORE', registry_key, '-inf', now + 60000, 'LIMIT', 0, max_buckets)
local touched, waiting = 0, 0
for _, minute in ipairs(started) do
  local bucket = bucket_prefix .. minute
  local kept = 0
  for _, member in ipairs(redis.call('SMEMBERS', bucket)) do
    local ttl = redis.call('PTTL', shadow_prefix .. bucket_member_id(member))
    if ttl >= 0 then
      local right = bucket_of(now + ttl)
      if as_text(right) == minute then
        kept = kept + 1
      else
        local right_key = bucket_prefix .. as_text(right)
        redis.call('SREM', bucket, member)
        redis.call('SADD', right_key, member)
        redis.call('PEXPIREAT', right_key, as_text(right + retention_ms))
        redis.call('ZADD', registry_key, right, as_text(right))
      end
    elseif ttl == -1 then
      redis.call('SREM', bucket, member)
    else
      touched = touched + 1
      redis.call('SREM', bucket, member)
      local id = bucket_member_id(member)
      record_destroyed(stream_key, stream_max_length, stream_max_age_ms, 'expired', id, '', session_prefix .. id, session_prefix .. id .. ':idx', '', '', false)
    end
  end
  if kept == 0 then
    redis.call('DEL', bucket)
    redis.call('ZREM', registry_key, minute)
  else
    waiting = waiting + 1
  end
end
return { touched, #started, waiting }
`,
);

/** What {@link sweepMinuteBuckets} needs (keys and prefixes of one shard). */
export interface SweepMinuteBucketsFields {
  readonly bucketRegistryKey: string;
  readonly eventStreamKey: string;
  readonly bucketKeyPrefix: string;
  readonly shadowKeyPrefix: string;
  readonly sessionKeyPrefix: string;
  /** Most buckets taken by one call. */
  readonly maxBuckets: number;
  /** How long past its minute a bucket is kept. */
  readonly bucketRetentionMs: number;
  readonly streamMaxLength: number;
  /** Records older than this (ms, by Redis's clock) are trimmed from the event stream. */
  readonly streamMaxAgeMs: number;
}

/** What one call of {@link sweepMinuteBuckets} did. */
export interface SweepMinuteBucketsResult {
  /** Due shadow keys touched. */
  readonly touched: number;
  /** Buckets looked at. */
  readonly looked: number;
  /** Buckets still holding sessions that are not due. */
  readonly waiting: number;
}

/** One call of the minute-bucket sweep. */
export async function sweepMinuteBuckets(run: ScriptRunner, f: SweepMinuteBucketsFields): Promise<SweepMinuteBucketsResult> {
  const reply = await run(
    sweepMinuteBucketsScript,
    [f.bucketRegistryKey, f.eventStreamKey],
    [f.bucketKeyPrefix, f.shadowKeyPrefix, f.maxBuckets, f.bucketRetentionMs, f.sessionKeyPrefix, f.streamMaxLength, f.streamMaxAgeMs],
  );
  const [touched, looked, waiting] = reply as [number, number, number];
  return { touched, looked, waiting };
}
