import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { deltaArguments, LUA_REFRESH_LIVE, LUA_WRITE_HELPERS } from './lua-helpers.js';

/**
 * The most common save, a request touching a stored session (see `save-session` for the
 * general one): not new, same id, same principal, still expiring, and with minute buckets
 * still in the same bucket. Sends about half the arguments of `save-session`, which is what
 * the client and Redis spend their time on for a save. Same guarantees: a session Redis no
 * longer holds is not resurrected (returns 0, writes nothing). Returns 1 when written.
 */
export const touchSessionScript = new LuaScript(
  'lapse:touch-session',
  `${LUA_WRITE_HELPERS}${LUA_REFRESH_LIVE}
local hash_key, shadow_key, idx_key, sorted_set_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, shadow_ttl, hash_ttl, idx_ttl, expiry_score = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local delta_at = 6 -- ARGV[6] on: the delta (see apply_delta)

if not refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, ARGV, delta_at) then return 0 end
if idx_ttl ~= '' then redis.call('PEXPIRE', idx_key, idx_ttl) end
if expiry_score ~= '' then redis.call('ZADD', sorted_set_key, expiry_score, id) end
return 1
`,
);

/** What {@link touchSession} needs. */
export interface TouchSessionFields {
  readonly id: string;
  readonly hashKey: string;
  readonly shadowKey: string;
  readonly indexReferenceKey: string;
  /** Shadow key TTL in ms (> 0). */
  readonly shadowTtlMs: number;
  readonly hashTtlMs: number;
  /** `:idx` set TTL in ms, or `null` when the session has no principal. */
  readonly indexReferenceTtlMs: number | null;
  /** With the sorted-set index: its key and the new expiry score; `null` with minute buckets. */
  readonly refile: { readonly sortedSetKey: string; readonly expiresAt: number } | null;
  readonly delta: { readonly set: readonly string[]; readonly remove: readonly string[] };
}

/** Touches a stored session; resolves `false` when it was gone (nothing written). */
export async function touchSession(run: ScriptRunner, f: TouchSessionFields): Promise<boolean> {
  const keys = [f.hashKey, f.shadowKey, f.indexReferenceKey];
  if (f.refile !== null) keys.push(f.refile.sortedSetKey);
  const args: (string | number)[] = [
    f.id,
    f.shadowTtlMs,
    f.hashTtlMs,
    f.indexReferenceTtlMs ?? '',
    f.refile?.expiresAt ?? '',
    ...deltaArguments(f.delta.set, f.delta.remove),
  ];
  return (await run(touchSessionScript, keys, args, f.id)) === 1;
}
