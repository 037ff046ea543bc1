import { defineScript, type ScriptRunner } from '../../redis/LuaScript.js';
import { LUA_END_HELPERS } from '../../session-ends/lua-end-helpers.js';

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
 * A key without a TTL (the session became never-expiring) is only unfiled. An id found in
 * two buckets ends once. The call first reads what it will do and checks every key it will
 * write (bucket registry, buckets, each ending session's `:idx` set and index sets, the event
 * stream), then writes: a key of the wrong type fails the call with nothing written.
 */
export const sweepMinuteBucketsScript = defineScript({
  name: 'lapse:sweep-minute-buckets',
  helpers: LUA_END_HELPERS,
  keys: ['registry_key', 'stream_key'],
  args: ['bucket_prefix', 'shadow_prefix', 'max_buckets:number', 'retention_ms:number', 'session_prefix', 'stream_max_length', 'stream_max_age_ms'],
  reply: (reply): SweepMinuteBucketsResult => {
    const [touched, looked, waiting] = reply as [number, number, number];
    return { touched, looked, waiting };
  },
  body: `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
check_type(registry_key, 'zset')
local started = redis.call('ZRANGEBYSCORE', registry_key, '-inf', now + 60000, 'LIMIT', 0, max_buckets)
-- First what to do, reads only, with every key it will write checked; then the writes.
local buckets, ends, ending, incoming = {}, {}, {}, {}
for _, minute in ipairs(started) do
  local bucket = { key = bucket_prefix .. minute, minute = minute, kept = 0, moves = {}, removed = {} }
  check_type(bucket.key, 'set')
  for _, member in ipairs(redis.call('SMEMBERS', bucket.key)) do
    local id = bucket_member_id(member)
    local ttl = redis.call('PTTL', shadow_prefix .. id)
    if ttl >= 0 then
      local right = bucket_of(now + ttl)
      if as_text(right) == minute then
        bucket.kept = bucket.kept + 1
      else
        check_type(bucket_prefix .. as_text(right), 'set')
        bucket.moves[#bucket.moves + 1] = { member, right }
        incoming[as_text(right)] = true
      end
    else
      bucket.removed[#bucket.removed + 1] = member
      -- An id filed in two buckets ends once.
      if ttl == -2 and not ending[id] then
        ending[id] = true
        local plan = plan_end(id, session_prefix .. id, session_prefix .. id .. ':idx', stream_key, '', '', nil, true, false)
        if not plan.skip then ends[#ends + 1] = plan end
      end
    end
  end
  buckets[#buckets + 1] = bucket
end

check_type(stream_key, 'stream')

-- Records age out even while no session ends.
trim_by_age(stream_key, now, stream_max_age_ms)
local touched, waiting = 0, 0
for _, bucket in ipairs(buckets) do
  for _, move in ipairs(bucket.moves) do
    local member, right = move[1], move[2]
    local right_key = bucket_prefix .. as_text(right)
    redis.call('SREM', bucket.key, member)
    redis.call('SADD', right_key, member)
    redis.call('PEXPIREAT', right_key, as_text(right + retention_ms))
    redis.call('ZADD', registry_key, right, as_text(right))
  end
  for _, member in ipairs(bucket.removed) do redis.call('SREM', bucket.key, member) end
  -- A bucket another one's entries move into is kept too.
  if bucket.kept == 0 and not incoming[bucket.minute] then
    redis.call('DEL', bucket.key)
    redis.call('ZREM', registry_key, bucket.minute)
  else
    waiting = waiting + 1
  end
end
for id in pairs(ending) do touched = touched + 1 end
for _, plan in ipairs(ends) do record_end(plan, stream_key, stream_max_length, stream_max_age_ms, 'expired', '') end
return { touched, #started, waiting }
`,
});

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
  return run(sweepMinuteBucketsScript,
    [f.bucketRegistryKey, f.eventStreamKey],
    [f.bucketKeyPrefix, f.shadowKeyPrefix, f.maxBuckets, f.bucketRetentionMs, f.sessionKeyPrefix, f.streamMaxLength, f.streamMaxAgeMs],
  );
}
