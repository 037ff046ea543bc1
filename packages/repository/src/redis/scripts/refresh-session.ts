import type { RedisReply } from '../clients/RedisConnection.js';
import { defineScript, type ScriptArgs, type ScriptRunner } from '../LuaScript.js';
import { LUA_REFRESH_LIVE, LUA_WRITE_HELPERS, pushDelta } from './lua-helpers.js';

/**
 * What a touch or refresh did: `written`; `gone` (the session ended: nothing written); `moved`
 * (minute buckets: the session's bucket as stored in Redis changes with this write, nothing
 * written: send the full save instead).
 */
export type TouchOutcome = 'written' | 'gone' | 'moved';

/** The reply of `touch_allowed` and the scripts built on it (1 written, 2 moved, 0 gone). */
export function touchOutcome(reply: RedisReply): TouchOutcome {
  return reply === 1 ? 'written' : reply === 2 ? 'moved' : 'gone';
}

/**
 * The leanest save: writes a stored session's delta and sets its hash's and shadow key's TTLs,
 * for a session with no `:idx` set and no index entry to move (a session of the express-session
 * store, or one without a principal, in the same minute bucket). Same guarantees as
 * `touch-session`, which sends this one when it can: a session Redis no longer holds is not
 * resurrected (`gone`), one whose stored bucket this delta would change is not written
 * (`moved`), every key it writes is checked first.
 */
export const refreshSessionScript = defineScript({
  name: 'lapse:refresh-session',
  helpers: `${LUA_WRITE_HELPERS}${LUA_REFRESH_LIVE}`,
  keys: ['hash_key', 'shadow_key'],
  args: ['shadow_ttl', 'hash_ttl'],
  tail: 'delta',
  body: `
local allowed = touch_allowed(hash_key, shadow_key, ARGV, delta_at, true)
if allowed ~= 1 then return allowed end
refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, ARGV, delta_at)
return 1
`,
  reply: touchOutcome,
});

/** What {@link refreshSession} needs. */
export interface RefreshSessionFields {
  readonly id: string;
  readonly hashKey: string;
  readonly shadowKey: string;
  /** Shadow key TTL in ms (> 0). */
  readonly shadowTtlMs: number;
  readonly hashTtlMs: number;
  readonly delta: { readonly set: readonly string[]; readonly remove: readonly string[] };
}

/** Writes a stored session's delta and TTLs (see {@link refreshSessionScript}). */
export function refreshSession(run: ScriptRunner, f: RefreshSessionFields): Promise<TouchOutcome> {
  // Built in one array (the common request's hot path): the arguments, then the delta.
  const args: ScriptArgs<typeof refreshSessionScript> = [f.shadowTtlMs, f.hashTtlMs];
  pushDelta(args, f.delta.set, f.delta.remove);
  return run(refreshSessionScript, [f.hashKey, f.shadowKey], args, f.id);
}
