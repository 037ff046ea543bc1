import { LuaScript } from '../LuaScript.js';
import { LUA_HELPERS } from './lua-helpers.js';

/**
 * Run by a listener woken by an `expired`/`del` keyspace notification of a shadow key (the
 * fast path): if the shadow key is really gone and nobody has recorded the session's end yet,
 * records it with the session's last data (and cleans its bucket and indexes). Many listeners
 * may race here; one records, the others find the mark. If the notification never arrives,
 * the sweep records the end instead.
 *
 * KEYS: 1 hash, 2 idx, 3 shadow, 4 event stream. ARGV: 1 id, 2 expiration index reference,
 * 3 'expired' or 'deleted', 4 stream max length, 5 expiration index kind.
 * Returns 1 when it recorded the end, else 0.
 */
export const claimDestroyedSessionScript = new LuaScript(
  'lapse:claim-destroyed-session',
  `${LUA_HELPERS}
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local recorded = record_destroyed(KEYS[4], ARGV[4], ARGV[3], ARGV[1], '', KEYS[1], KEYS[2], ARGV[5], ARGV[2], true)
return recorded
`,
);
