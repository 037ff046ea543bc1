import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_HELPERS } from './lua-helpers.js';

/**
 * Deletes a session in one round trip, as Spring's `deleteById` does in ~9 (research §2.5):
 * DELs the shadow key (the `del` keyspace event Spring listeners rely on), writes the
 * `deleted` record with the session's last data and the reason to the event stream, removes
 * the session from its bucket and every index, and keeps the hash for the grace period with
 * `maxInactiveInterval` 0 so `findById` (here and in Spring) already returns null.
 * A session that was no longer live (expired, already deleted) gets no record: its end was
 * or will be recorded as what it was.
 */
export const deleteSessionScript = new LuaScript(
  'lapse:delete-session',
  `${LUA_HELPERS}
local hash_key, shadow_key, idx_key, stream_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, index_ref, zero, grace_ms, reason, stream_max_length, index_kind =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local stream_max_age_ms = ARGV[8]

local deleted = redis.call('DEL', shadow_key)
local hash, index_keys
if deleted == 1 then
  local _
  _, hash, index_keys = record_destroyed(stream_key, stream_max_length, stream_max_age_ms, 'deleted', id, reason, hash_key, idx_key, index_kind, index_ref, false)
else
  hash = redis.call('HGETALL', hash_key)
  leave_index(index_kind, index_ref, hash, id)
  index_keys = forget_indexes(idx_key, id)
end
if #hash > 0 then
  redis.call('HSET', hash_key, 'maxInactiveInterval', java_serialized(hash) and JAVA_INTEGER_ZERO or zero)
  redis.call('PEXPIRE', hash_key, grace_ms)
end
return { deleted, hash, index_keys }
`,
);

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
  const reply = await run(
    deleteSessionScript,
    [f.hashKey, f.shadowKey, f.indexReferenceKey, f.eventStreamKey],
    [f.id, f.indexReference, f.storedZero, f.graceMs, f.reason, f.streamMaxLength, f.indexKind, f.streamMaxAgeMs],
    f.id,
  );
  const [deleted, hash, indexKeys] = reply as [number, string[], string[]];
  return { wasLive: deleted === 1, hash, indexKeys };
}
