import { defineScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_END_HELPERS } from '../../session-ends/lua-end-helpers.js';

/**
 * Deletes a session in one round trip, as Spring's `deleteById` does in ~9 (docs/spring-session.md §2.5):
 * DELs the shadow key (the `del` keyspace event Spring listeners rely on), writes the
 * `deleted` record with the session's last data and the reason to the event stream, removes
 * the session from its bucket and every index, and keeps the hash for the grace period with
 * `maxInactiveInterval` 0 so `findById` (here and in Spring) already returns null.
 * A session that was no longer live (expired, already deleted) gets no record: its end was
 * or will be recorded as what it was. Every key it writes is checked first (`plan_end`): a key
 * of the wrong type fails the call with nothing written.
 */
export const deleteSessionScript = defineScript({
  name: 'lapse:delete-session',
  helpers: LUA_END_HELPERS,
  keys: ['hash_key', 'shadow_key', 'idx_key', 'stream_key'],
  args: ['id', 'index_ref', 'zero', 'grace_ms', 'reason', 'stream_max_length', 'index_kind', 'stream_max_age_ms'],
  reply: (reply): DeleteSessionResult => {
    const [deleted, hash, indexKeys] = reply as [number, string[], string[]];
    return { wasLive: deleted === 1, hash, indexKeys };
  },
  body: `
local live = redis.call('EXISTS', shadow_key) == 1
-- A sweep may have moved the bucket entry to the bucket of Redis's deadline (an app clock
-- behind Redis's filed it too early): that bucket is left too.
local deadline_bucket = nil
if live and index_kind == 'm' then
  local ttl = redis.call('PTTL', shadow_key)
  if ttl >= 0 then
    local time = redis.call('TIME')
    deadline_bucket = as_text(bucket_of(tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + ttl))
  end
end
local plan = plan_end(id, hash_key, idx_key, stream_key, index_kind, index_ref, deadline_bucket, false, false)
redis.call('DEL', shadow_key)
if live and not plan.recorded then
  record_end(plan, stream_key, stream_max_length, stream_max_age_ms, 'deleted', reason)
else
  unfile(plan)
end
if #plan.hash > 0 then
  redis.call('HSET', hash_key, 'maxInactiveInterval', java_serialized(plan.hash) and JAVA_INTEGER_ZERO or zero)
  redis.call('PEXPIRE', hash_key, grace_ms)
end
return { live and 1 or 0, plan.hash, plan.index_keys }
`,
});

/** What {@link deleteSession} needs. */
export interface DeleteSessionFields {
  readonly hashKey: string;
  readonly shadowKey: string;
  readonly indexReferenceKey: string;
  readonly eventStreamKey: string;
  readonly id: string;
  /** The expiration index's reference (bucket key prefix or sorted-set key) and kind. */
  readonly indexReference: string;
  readonly indexKind: 'm' | 'z';
  /** `maxInactiveInterval` 0 as stored. */
  readonly storedZero: string;
  /** How long the hash is kept after the delete, in ms. */
  readonly graceMs: number;
  /** The deletion reason for the `deleted` record (`''`: none). */
  readonly reason: string;
  readonly streamMaxLength: number;
  /** Records older than this (ms, by Redis's clock) are trimmed from the event stream. */
  readonly streamMaxAgeMs: number;
}

/** What {@link deleteSession} found. */
export interface DeleteSessionResult {
  /** Whether the session was live (its shadow key existed). */
  readonly wasLive: boolean;
  /** The hash before the delete, as flat field/value pairs (empty when gone). */
  readonly hash: readonly string[];
  /** The index sets the session was removed from (from its `:idx` set). */
  readonly indexKeys: readonly string[];
}

/** Deletes one session in one round trip. */
export async function deleteSession(run: ScriptRunner, f: DeleteSessionFields): Promise<DeleteSessionResult> {
  return run(deleteSessionScript,
    [f.hashKey, f.shadowKey, f.indexReferenceKey, f.eventStreamKey],
    [f.id, f.indexReference, f.storedZero, f.graceMs, f.reason, f.streamMaxLength, f.indexKind, f.streamMaxAgeMs],
    f.id,
  );
}
