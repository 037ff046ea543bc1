import { LuaScript } from '../LuaScript.js';
import { LUA_HELPERS } from './lua-helpers.js';

/**
 * The sweep over the sorted-set expiration index (`<ns>:sessions:expirations`, Spring's
 * `SortedSetRedisSessionExpirationStore` key: member = id, score = expiry in ms). It takes the
 * entries due by Redis's clock atomically and removes them, so instances sweeping together
 * share the work, and its cost grows with the due entries only. Each due shadow key is touched
 * (PTTL), which makes Redis expire it now, and the end is recorded with the session's data
 * (Spring's own store touches the wrong key, gh-3468, and never removes entries). An entry
 * filed too early (app clock ahead of Redis) is filed again at its real deadline.
 *
 * KEYS: 1 sorted set, 2 event stream. ARGV: 1 shadow key prefix, 2 session key prefix,
 * 3 max entries per call, 4 stream max length.
 * Returns `{ due keys touched, entries taken, next deadline in ms (-1 none), Redis now in ms }`.
 */
export const sweepSortedSetScript = new LuaScript(
  'lapse:sweep-sorted-set',
  `${LUA_HELPERS}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
-- The due entries are the lowest-ranked ones: taken out in one call, not one ZREM each.
if #due > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #due - 1) end
local touched = 0
for _, id in ipairs(due) do
  local ttl = redis.call('PTTL', ARGV[1] .. id)
  if ttl >= 0 then
    redis.call('ZADD', KEYS[1], now + math.max(ttl, 1), id)
  elseif ttl == -2 then
    touched = touched + 1
    record_destroyed(KEYS[2], ARGV[4], 'expired', id, '', ARGV[2] .. id, ARGV[2] .. id .. ':idx', '', '', false)
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local next_deadline = -1
if #first == 2 then next_deadline = tonumber(first[2]) end
return { touched, #due, as_text(next_deadline), as_text(now) }
`,
);
