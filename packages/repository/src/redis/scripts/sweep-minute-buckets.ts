import { LuaScript } from '../LuaScript.js';
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
 *
 * KEYS: 1 bucket registry, 2 event stream. ARGV: 1 bucket key prefix, 2 shadow key prefix,
 * 3 max buckets per call, 4 bucket retention ms, 5 session key prefix, 6 stream max length.
 * Returns `{ due shadow keys touched, buckets looked at, buckets still holding sessions }`.
 */
export const sweepMinuteBucketsScript = new LuaScript(
  'lapse:sweep-minute-buckets',
  `${LUA_HELPERS}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local started = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now + 60000, 'LIMIT', 0, tonumber(ARGV[3]))
local touched, waiting = 0, 0
for _, minute in ipairs(started) do
  local bucket = ARGV[1] .. minute
  local kept = 0
  for _, member in ipairs(redis.call('SMEMBERS', bucket)) do
    local ttl = redis.call('PTTL', ARGV[2] .. string.sub(member, 9))
    if ttl >= 0 then
      local right = bucket_of(now + ttl)
      if as_text(right) == minute then
        kept = kept + 1
      else
        local right_key = ARGV[1] .. as_text(right)
        redis.call('SREM', bucket, member)
        redis.call('SADD', right_key, member)
        redis.call('PEXPIREAT', right_key, as_text(right + tonumber(ARGV[4])))
        redis.call('ZADD', KEYS[1], right, as_text(right))
      end
    elseif ttl == -1 then
      redis.call('SREM', bucket, member)
    else
      touched = touched + 1
      redis.call('SREM', bucket, member)
      local id = string.sub(member, 9)
      record_destroyed(KEYS[2], ARGV[6], 'expired', id, '', ARGV[5] .. id, ARGV[5] .. id .. ':idx', '', '', false)
    end
  end
  if kept == 0 then
    redis.call('DEL', bucket)
    redis.call('ZREM', KEYS[1], minute)
  else
    waiting = waiting + 1
  end
end
return { touched, #started, waiting }
`,
);
