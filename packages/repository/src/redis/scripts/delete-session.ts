import { LuaScript } from '../LuaScript.js';
import { LUA_HELPERS } from './lua-helpers.js';

/**
 * Deletes a session in one round trip, as Spring's `deleteById` does in ~9 (research §2.5):
 * DELs the shadow key (the `del` keyspace event Spring listeners rely on), writes the
 * `deleted` record with the session's last data and the reason to the event stream, removes
 * the session from its bucket and every index, and keeps the hash for the grace period with
 * `maxInactiveInterval` 0 so `findById` (here and in Spring) already returns null.
 * A session that was no longer live (expired, already deleted) gets no record: its end was
 * or will be recorded as what it was.
 *
 * KEYS: 1 hash, 2 shadow, 3 idx, 4 event stream.
 * ARGV: 1 id, 2 expiration index reference, 3 serialized 0, 4 grace ms, 5 reason, 6 stream max length,
 * 7 expiration index kind (`m` or `z`, see `leave_index`).
 * Returns `{ 1 if the session was live else 0, the hash before the delete as a flat array, index keys cleaned }`.
 */
export const deleteSessionScript = new LuaScript(
  'lapse:delete-session',
  `${LUA_HELPERS}
local deleted = redis.call('DEL', KEYS[2])
local hash, index_keys
if deleted == 1 then
  local _
  _, hash, index_keys = record_destroyed(KEYS[4], ARGV[6], 'deleted', ARGV[1], ARGV[5], KEYS[1], KEYS[3], ARGV[7], ARGV[2], false)
else
  hash = redis.call('HGETALL', KEYS[1])
  leave_index(ARGV[7], ARGV[2], hash, ARGV[1])
  index_keys = forget_indexes(KEYS[3], ARGV[1])
end
if #hash > 0 then
  redis.call('HSET', KEYS[1], 'maxInactiveInterval', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return { deleted, hash, index_keys }
`,
);
