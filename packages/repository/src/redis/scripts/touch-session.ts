import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_REFRESH_LIVE, LUA_WRITE_HELPERS, pushDelta } from './lua-helpers.js';

/**
 * The most common save, a request touching a stored session (see `save-session` for the
 * general one): not new, same id, same principal, still expiring, and with minute buckets
 * still in the same bucket. Sends about half the arguments of `save-session`, which is what
 * the client and Redis spend their time on for a save. Same guarantees: a session Redis no
 * longer holds is not resurrected (returns 0, writes nothing); with minute buckets, a session
 * whose stored times with this delta would change bucket (another process saved it meanwhile)
 * is not written either (returns 2: the caller sends the full save, which moves it); every key
 * it writes is checked first. Returns 1 when written.
 */
export const touchSessionScript = new LuaScript(
  'lapse:touch-session',
  `${LUA_WRITE_HELPERS}${LUA_REFRESH_LIVE}
local hash_key, shadow_key, idx_key, sorted_set_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, shadow_ttl, hash_ttl, idx_ttl, expiry_score = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local delta_at = 6 -- ARGV[6] on: the delta (see apply_delta)

local allowed = touch_allowed(hash_key, shadow_key, ARGV, delta_at, expiry_score == '')
if allowed ~= 1 then return allowed end
if idx_ttl ~= '' then check_type(idx_key, 'set') end
if expiry_score ~= '' then check_type(sorted_set_key, 'zset') end
refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, ARGV, delta_at)
if idx_ttl ~= '' then redis.call('PEXPIRE', idx_key, idx_ttl) end
if expiry_score ~= '' then redis.call('ZADD', sorted_set_key, expiry_score, id) end
return 1
`,
);

/**
 * {@link touchSessionScript} for a session with no `:idx` set and no index entry to move (a
 * session of the express-session store, or one without a principal, in the same minute
 * bucket): only the hash and shadow key, their TTLs and the delta, four strings fewer per call.
 */
export const refreshSessionScript = new LuaScript(
  'lapse:refresh-session',
  `${LUA_WRITE_HELPERS}${LUA_REFRESH_LIVE}
local hash_key, shadow_key = KEYS[1], KEYS[2]
local shadow_ttl, hash_ttl = ARGV[1], ARGV[2]
local delta_at = 3 -- ARGV[3] on: the delta (see apply_delta)

local allowed = touch_allowed(hash_key, shadow_key, ARGV, delta_at, true)
if allowed ~= 1 then return allowed end
refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, ARGV, delta_at)
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

/**
 * What a touch did: `written`; `gone` (the session ended: nothing written); `moved` (minute
 * buckets: the session's bucket as stored in Redis changes with this write, nothing written:
 * send the full save instead).
 */
export type TouchOutcome = 'written' | 'gone' | 'moved';

/** Touches a stored session (with {@link refreshSessionScript} when it can). */
export function touchSession(run: ScriptRunner, f: TouchSessionFields): Promise<TouchOutcome> {
  if (f.indexReferenceTtlMs === null && f.refile === null) {
    const lean: (string | number)[] = [f.shadowTtlMs, f.hashTtlMs];
    pushDelta(lean, f.delta.set, f.delta.remove);
    return run(refreshSessionScript, [f.hashKey, f.shadowKey], lean, f.id).then(outcome);
  }
  const keys = [f.hashKey, f.shadowKey, f.indexReferenceKey];
  if (f.refile !== null) keys.push(f.refile.sortedSetKey);
  // Built in one array (the common request's hot path): the header, then the delta.
  const args: (string | number)[] = [f.id, f.shadowTtlMs, f.hashTtlMs, f.indexReferenceTtlMs ?? '', f.refile?.expiresAt ?? ''];
  pushDelta(args, f.delta.set, f.delta.remove);
  return run(touchSessionScript, keys, args, f.id).then(outcome);
}

function outcome(reply: unknown): TouchOutcome {
  return reply === 1 ? 'written' : reply === 2 ? 'moved' : 'gone';
}
