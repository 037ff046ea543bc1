import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_WRITE_HELPERS } from './lua-helpers.js';

/**
 * The common request's write of `SessionHashStore` (see `write-session-hash` for the general
 * one): a live session that keeps its principal, still expires, and keeps its minute bucket
 * (or, with the sorted-set index, gets its new expiry score). Only what the layout needs while the shadow key exists: the
 * changed fields and both TTLs, in about a third of the general script's arguments. A session
 * Redis no longer holds is not resurrected (returns 0, writes nothing). Returns 1 when written.
 */
export const refreshSessionHashScript = new LuaScript(
  'lapse:refresh-session-hash',
  `${LUA_WRITE_HELPERS}
local hash_key, shadow_key, sorted_set_key = KEYS[1], KEYS[2], KEYS[3]
local shadow_ttl, hash_ttl, expiry_score, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local delta_at = 5 -- ARGV[5] on: the delta (see apply_delta)

if redis.call('EXISTS', hash_key, shadow_key) < 2 then return 0 end
apply_delta(hash_key, ARGV, delta_at)
redis.call('PEXPIRE', shadow_key, shadow_ttl)
redis.call('PEXPIRE', hash_key, hash_ttl)
if expiry_score ~= '' then redis.call('ZADD', sorted_set_key, expiry_score, id) end
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
  /** With the sorted-set index: its key and the new expiry score; `null` when nothing moves. */
  readonly refile: { readonly sortedSetKey: string; readonly expiresAt: number } | null;
  readonly set: readonly string[];
  readonly remove: readonly string[];
}

/** Refreshes a live session; resolves `false` when it was gone (nothing written). */
export async function refreshSessionHash(run: ScriptRunner, f: RefreshSessionHashFields): Promise<boolean> {
  const keys = f.refile === null ? [f.hashKey, f.shadowKey] : [f.hashKey, f.shadowKey, f.refile.sortedSetKey];
  const args: (string | number)[] = [
    f.shadowTtlMs,
    f.hashTtlMs,
    f.refile?.expiresAt ?? '',
    f.refile === null ? '' : f.id,
    f.set.length / 2,
    ...f.set,
    f.remove.length,
    ...f.remove,
  ];
  return (await run(refreshSessionHashScript, keys, args, f.id)) === 1;
}
