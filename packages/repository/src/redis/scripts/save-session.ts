import { LuaScript } from '../LuaScript.js';
import { LUA_HELPERS } from './lua-helpers.js';

/**
 * Saves a session in ONE round trip: new session, delta save and id change alike (Spring
 * sends 7–8 sequential commands, research `spring-session.md` §2.2–2.3).
 *
 * A session that Redis no longer holds (deleted or expired meanwhile, shadow key or hash
 * gone) is not resurrected: the script writes nothing and returns 0 (Spring gh-1137,
 * gh-1743). Nor is a new session written over an id that is taken, or whose session ended
 * less than the grace period ago (caller-chosen ids, as express-session's): also 0. An id change renames inside the script, so RENAME cannot fail half-way.
 * Removed attributes are HDEL'd (Spring #1331). The bucket gets its TTL after SADD, never
 * before (Spring #3477), and a never-expiring session gets no TTL and no bucket (#3320).
 *
 * The expiration index is minute buckets (ARGV 17 `m`: keys 7–9 are the new bucket, the old
 * bucket and the bucket registry) or the sorted set (`z`: keys 7–9 are all the sorted set,
 * ARGV 7 the expiry in ms).
 *
 * KEYS: 1 hash, 2 shadow, 3 idx (current id); 4 hash, 5 shadow, 6 idx (stored id);
 *       7 new bucket, 8 old bucket, 9 bucket registry; 10 stored principal index, 11 current principal index.
 * ARGV: 1 isNew, 2 renamed, 3 id, 4 stored id, 5 shadow TTL ms (-1 never, 0 delete), 6 hash TTL ms (-1 never),
 *       7 new bucket minute or expiry ms ('' none), 8 old bucket minute ('' none), 9 bucket expire-at ms,
 *       10 had principal, 11 has principal, 12 principal changed, 13 idx TTL ms (-1 never),
 *       14 created channel ('' none), 15 created payload, 16 registry entries older than this are trimmed,
 *       17 expiration index kind, 18 n fields to set, then n field/value pairs, then m, then m fields to delete.
 * Returns 1 when written, 0 when the session was gone.
 */
export const saveSessionScript = new LuaScript(
  'lapse:save-session',
  `${LUA_HELPERS}
local is_new = ARGV[1] == '1'
local renamed = ARGV[2] == '1'
if is_new and redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
if not is_new then
  if redis.call('EXISTS', KEYS[4], KEYS[5]) < 2 then return 0 end
  if renamed then
    redis.call('RENAME', KEYS[4], KEYS[1])
    redis.call('RENAME', KEYS[5], KEYS[2])
    if redis.call('EXISTS', KEYS[6]) == 1 then redis.call('RENAME', KEYS[6], KEYS[3]) end
  end
end

apply_delta(KEYS[1], 18)

local shadow_ttl = tonumber(ARGV[5])
if shadow_ttl > 0 then
  redis.call('SET', KEYS[2], '', 'PX', shadow_ttl)
elseif shadow_ttl < 0 then
  redis.call('SET', KEYS[2], '')
else
  redis.call('DEL', KEYS[2])
end
local hash_ttl = tonumber(ARGV[6])
if hash_ttl >= 0 then redis.call('PEXPIRE', KEYS[1], hash_ttl) else redis.call('PERSIST', KEYS[1]) end

if ARGV[17] == 'z' then
  if renamed then redis.call('ZREM', KEYS[7], ARGV[4]) end
  if ARGV[7] ~= '' then redis.call('ZADD', KEYS[7], ARGV[7], ARGV[3]) else redis.call('ZREM', KEYS[7], ARGV[3]) end
else
if ARGV[8] ~= '' and (renamed or ARGV[8] ~= ARGV[7]) then
  redis.call('SREM', KEYS[8], 'expires:' .. ARGV[4])
end
-- A delta save that keeps the session in the same bucket has nothing to file again.
if ARGV[7] ~= '' and (is_new or renamed or ARGV[7] ~= ARGV[8]) then
  redis.call('SADD', KEYS[7], 'expires:' .. ARGV[3])
  redis.call('PEXPIREAT', KEYS[7], ARGV[9])
  if redis.call('ZADD', KEYS[9], ARGV[7], ARGV[7]) == 1 then
    redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', '(' .. ARGV[16])
  end
end
end

local principal_changed = ARGV[12] == '1'
if (renamed or principal_changed) and ARGV[10] == '1' then
  redis.call('SREM', KEYS[10], ARGV[4])
end
if ARGV[11] == '1' then
  if is_new or renamed or principal_changed then
    redis.call('SADD', KEYS[11], ARGV[3])
    redis.call('DEL', KEYS[3])
    redis.call('SADD', KEYS[3], KEYS[11])
  end
  local idx_ttl = tonumber(ARGV[13])
  if idx_ttl >= 0 then redis.call('PEXPIRE', KEYS[3], idx_ttl) else redis.call('PERSIST', KEYS[3]) end
elseif renamed or principal_changed then
  redis.call('DEL', KEYS[3])
end

if ARGV[14] ~= '' then redis.call('PUBLISH', ARGV[14], ARGV[15]) end
return 1
`,
);
