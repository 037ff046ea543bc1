import { LuaScript } from '../LuaScript.js';
import { LUA_WRITE_HELPERS } from './lua-helpers.js';

/**
 * The most common save, a request touching a stored session (see `save-session` for the
 * general one): not new, same id, same principal, still expiring, and with minute buckets
 * still in the same bucket. Sends about half the arguments of `save-session`, which is what
 * ioredis and Redis spend their time on for a save. Same guarantees: a session Redis no longer
 * holds is not resurrected (returns 0, writes nothing).
 *
 * KEYS: 1 hash, 2 shadow, 3 idx, 4 sorted-set index (only when ARGV 5 is a score).
 * ARGV: 1 id, 2 shadow TTL ms (> 0), 3 hash TTL ms, 4 idx TTL ms ('' when the session has no
 *       principal), 5 expiry score for the sorted set ('' with minute buckets),
 *       6 n fields to set, then n field/value pairs, then m, then m fields to delete.
 * Returns 1 when written, 0 when the session was gone.
 */
export const touchSessionScript = new LuaScript(
  'lapse:touch-session',
  `${LUA_WRITE_HELPERS}
if redis.call('EXISTS', KEYS[1], KEYS[2]) < 2 then return 0 end
apply_delta(KEYS[1], 6)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '' then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1]) end
return 1
`,
);
