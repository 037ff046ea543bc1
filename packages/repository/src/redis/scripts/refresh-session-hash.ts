import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_WRITE_HELPERS } from './lua-helpers.js';

/**
 * The common request's write of `SessionHashStore` (see `write-session-hash` for the general
 * one): a live session that keeps its expiration-index entry (same minute bucket) and its
 * principal, and still expires. Only what the layout needs while the shadow key exists: the
 * changed fields and both TTLs, in about a third of the general script's arguments. A session
 * Redis no longer holds is not resurrected (returns 0, writes nothing). Returns 1 when written.
 */
export const refreshSessionHashScript = new LuaScript(
  'lapse:refresh-session-hash',
  `${LUA_WRITE_HELPERS}
local hash_key, shadow_key = KEYS[1], KEYS[2]
local shadow_ttl, hash_ttl = ARGV[1], ARGV[2]
local delta_at = 3 -- ARGV[3] on: the delta (see apply_delta)

if redis.call('EXISTS', hash_key, shadow_key) < 2 then return 0 end
apply_delta(hash_key, ARGV, delta_at)
redis.call('PEXPIRE', shadow_key, shadow_ttl)
redis.call('PEXPIRE', hash_key, hash_ttl)
return 1
`,
);

/** What {@link refreshSessionHash} needs. */
export interface RefreshSessionHashFields {
  readonly id: string;
  readonly hashKey: string;
  readonly shadowKey: string;
  /** Shadow key TTL in ms (> 0). */
  readonly shadowTtlMs: number;
  readonly hashTtlMs: number;
  readonly set: readonly string[];
  readonly remove: readonly string[];
}

/** Refreshes a live session; resolves `false` when it was gone (nothing written). */
export async function refreshSessionHash(run: ScriptRunner, f: RefreshSessionHashFields): Promise<boolean> {
  const args: (string | number)[] = [f.shadowTtlMs, f.hashTtlMs, f.set.length / 2, ...f.set, f.remove.length, ...f.remove];
  return (await run(refreshSessionHashScript, [f.hashKey, f.shadowKey], args, f.id)) === 1;
}
