import { LuaScript } from '../LuaScript.js';
import { LUA_WRITE_HELPERS } from './lua-helpers.js';

/**
 * One write of a session whose fields the caller computed itself (the express-session store,
 * through `SessionHashStore`): one round trip for a new session, a changed one and a touch.
 *
 * Mode `c` (create): writes the session only when neither its hash nor its shadow key exists;
 * returns 2 when both exist (a live session: the caller updates it instead) and 0 when only one
 * does (a session that ended less than the grace period ago is never brought back).
 * Mode `u` (update): writes only while both exist, else returns 0 and writes nothing (no
 * resurrection of a session deleted or expired meanwhile).
 *
 * The caller sends only the fields that differ from what it read (removed ones to HDEL), the
 * shadow key's TTL and the hash's (grace period added), the expiration index entry when it
 * moves (same rules as `save-session`: bucket TTL after SADD, registry trimmed), and the
 * principal-index move when the principal changed. No `:idx` set is kept: the principal lives
 * in the hash (`lapse.principal`), which is what deletes and session ends clean the index from;
 * a stale `:idx` set from an earlier repository save is dropped when the principal moves.
 *
 * KEYS: 1 hash, 2 shadow, 3 idx, 4 new bucket (or sorted set), 5 old bucket (or sorted set),
 *       6 bucket registry, 7 old principal index (KEYS[1] when none), 8 new principal index (KEYS[1] when none).
 * ARGV: 1 mode `c`/`u`, 2 id, 3 shadow TTL ms (-1 never), 4 hash TTL ms (-1 never),
 *       5 index kind (`m`, `z`, or '' when the entry does not move), 6 new bucket minute or
 *       expiry ms ('' when the session never expires), 7 old bucket minute ('' none),
 *       8 bucket expire-at ms, 9 registry entries older than this are trimmed,
 *       10 `1` when the principal changed, 11 created channel ('' none), 12 created payload,
 *       13 n fields to set, then n field/value pairs, then m, then m fields to delete.
 * Returns 1 when written, 0 when refused, 2 (mode `c`) when the session is live.
 */
export const writeSessionHashScript = new LuaScript(
  'lapse:write-session-hash',
  `${LUA_WRITE_HELPERS}
local create = ARGV[1] == 'c'
local present = redis.call('EXISTS', KEYS[1], KEYS[2])
if create then
  if present == 2 then return 2 end
  if present > 0 then return 0 end
  redis.call('DEL', KEYS[3])
elseif present < 2 then
  return 0
end

apply_delta(KEYS[1], 13)

local shadow_ttl = tonumber(ARGV[3])
if create then
  if shadow_ttl > 0 then redis.call('SET', KEYS[2], '', 'PX', shadow_ttl) else redis.call('SET', KEYS[2], '') end
elseif shadow_ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], shadow_ttl)
else
  redis.call('PERSIST', KEYS[2])
end
local hash_ttl = tonumber(ARGV[4])
if hash_ttl > 0 then redis.call('PEXPIRE', KEYS[1], hash_ttl) elseif not create then redis.call('PERSIST', KEYS[1]) end

local id = ARGV[2]
if ARGV[5] == 'z' then
  if ARGV[6] ~= '' then redis.call('ZADD', KEYS[4], ARGV[6], id) else redis.call('ZREM', KEYS[4], id) end
elseif ARGV[5] == 'm' then
  if ARGV[7] ~= '' and ARGV[7] ~= ARGV[6] then redis.call('SREM', KEYS[5], 'expires:' .. id) end
  if ARGV[6] ~= '' and (create or ARGV[6] ~= ARGV[7]) then
    redis.call('SADD', KEYS[4], 'expires:' .. id)
    redis.call('PEXPIREAT', KEYS[4], ARGV[8])
    if redis.call('ZADD', KEYS[6], ARGV[6], ARGV[6]) == 1 then
      redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. ARGV[9])
    end
  end
end

if ARGV[10] == '1' then
  if KEYS[7] ~= KEYS[1] then redis.call('SREM', KEYS[7], id) end
  if KEYS[8] ~= KEYS[1] then redis.call('SADD', KEYS[8], id) end
  if not create then redis.call('DEL', KEYS[3]) end
end

if ARGV[11] ~= '' then redis.call('PUBLISH', ARGV[11], ARGV[12]) end
return 1
`,
);
