import { defineScript, type ScriptArgs, type ScriptRunner } from '../LuaScript.js';
import { LUA_REFRESH_LIVE, LUA_WRITE_HELPERS, pushDelta } from './lua-helpers.js';
import { touchOutcome, type RefreshSessionFields, type TouchOutcome } from './refresh-session.js';

export type { TouchOutcome } from './refresh-session.js';

/**
 * The most common save, a request writing a stored session's delta (see `save-session` for the
 * general one): not new, same id, same principal, still expiring, and with minute buckets
 * still in the same bucket. Writes the delta and the TTLs as `refresh-session` does, and also
 * the `:idx` set's TTL (`idx_ttl`, `''`: none) and the sorted-set entry (`expiry_score`, `''`:
 * minute buckets). Sends about half the arguments of `save-session`, which is what the client
 * and Redis spend their time on for a save. Same guarantees: a session Redis no longer holds is
 * not resurrected (returns 0, writes nothing); with minute buckets, a session whose stored
 * times with this delta would change bucket (another process saved it meanwhile) is not written
 * either (returns 2: the caller sends the full save, which moves it); every key it writes is
 * checked first. Returns 1 when written.
 */
export const touchSessionScript = defineScript({
  name: 'lapse:touch-session',
  helpers: `${LUA_WRITE_HELPERS}${LUA_REFRESH_LIVE}`,
  keys: ['hash_key', 'shadow_key', 'idx_key', 'sorted_set_key'],
  args: ['id', 'shadow_ttl', 'hash_ttl', 'idx_ttl', 'expiry_score'],
  tail: 'delta',
  body: `
local allowed = touch_allowed(hash_key, shadow_key, ARGV, delta_at, expiry_score == '')
if allowed ~= 1 then return allowed end
if idx_ttl ~= '' then check_type(idx_key, 'set') end
if expiry_score ~= '' then check_type(sorted_set_key, 'zset') end
refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, ARGV, delta_at)
if idx_ttl ~= '' then redis.call('PEXPIRE', idx_key, idx_ttl) end
if expiry_score ~= '' then redis.call('ZADD', sorted_set_key, expiry_score, id) end
return 1
`,
  reply: touchOutcome,
});

/** What {@link touchSession} needs. */
export interface TouchSessionFields extends RefreshSessionFields {
  readonly indexReferenceKey: string;
  /** `:idx` set TTL in ms, or `null` when the session has no principal. */
  readonly indexReferenceTtlMs: number | null;
  /** With the sorted-set index: its key and the new expiry score; `null` with minute buckets. */
  readonly refile: { readonly sortedSetKey: string; readonly expiresAt: number } | null;
}

/** Writes a stored session's delta, TTLs, `:idx` TTL and sorted-set entry (a session with neither takes `refresh-session`). */
export function touchSession(run: ScriptRunner, f: TouchSessionFields): Promise<TouchOutcome> {
  const keys = [f.hashKey, f.shadowKey, f.indexReferenceKey];
  if (f.refile !== null) keys.push(f.refile.sortedSetKey);
  // Built in one array (the common request's hot path): the arguments, then the delta.
  const args: ScriptArgs<typeof touchSessionScript> = [f.id, f.shadowTtlMs, f.hashTtlMs, f.indexReferenceTtlMs ?? '', f.refile?.expiresAt ?? ''];
  pushDelta(args, f.delta.set, f.delta.remove);
  return run(touchSessionScript, keys, args, f.id);
}
