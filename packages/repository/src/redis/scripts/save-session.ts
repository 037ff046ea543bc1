import type { ExpirationIndexFiling } from '../../expiration/RedisSessionExpirationIndex.js';
import type { SessionDelta } from '../../mapper/RedisSessionMapper.js';
import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import { LUA_HELPERS, LUA_INDEX_FILING, pushDelta } from './lua-helpers.js';

/**
 * Saves a session in ONE round trip: new session, delta save and id change alike (Spring
 * sends 7–8 sequential commands, research `spring-session.md` §2.2–2.3).
 *
 * A session that Redis no longer holds (deleted or expired meanwhile, shadow key or hash
 * gone) is not resurrected: the script writes nothing and returns 0 (Spring gh-1137,
 * gh-1743). Nor is a new session written over an id that is taken, or whose session ended
 * less than the grace period ago (caller-chosen ids, as express-session's): also 0. An id
 * change renames inside the script, so RENAME cannot fail half-way. Removed attributes are
 * HDEL'd (Spring #1331). The bucket gets its TTL after SADD, never before (Spring #3477), and
 * a never-expiring session gets no TTL and no bucket (#3320).
 *
 * The expiration index is minute buckets (`index_kind` `m`: new bucket, old bucket and bucket
 * registry) or the sorted set (`z`: all three keys are the sorted set, `new_placement` the
 * expiry in ms). Returns 1 when written, 0 when the session was gone.
 */
export const saveSessionScript = new LuaScript(
  'lapse:save-session',
  `${LUA_HELPERS}${LUA_INDEX_FILING}
local hash_key, shadow_key, idx_key = KEYS[1], KEYS[2], KEYS[3]
local stored_hash_key, stored_shadow_key, stored_idx_key = KEYS[4], KEYS[5], KEYS[6]
local new_index_key, old_index_key, registry_key = KEYS[7], KEYS[8], KEYS[9]
local stored_principal_key, principal_key, stream_key = KEYS[10], KEYS[11], KEYS[12]
local is_new, renamed, id, stored_id = ARGV[1] == '1', ARGV[2] == '1', ARGV[3], ARGV[4]
local shadow_ttl, hash_ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
local new_placement, old_placement, bucket_expire_at = ARGV[7], ARGV[8], ARGV[9]
local had_principal, has_principal, principal_changed = ARGV[10] == '1', ARGV[11] == '1', ARGV[12] == '1'
local idx_ttl = tonumber(ARGV[13])
local created_channel, created_payload, registry_trim_before, index_kind = ARGV[14], ARGV[15], ARGV[16], ARGV[17]
local reclaim, index_ref, stream_max_length = ARGV[18] == '1', ARGV[19], ARGV[20]
local delta_at = 21 -- ARGV[21] on: the delta (see apply_delta)

if is_new then
  local present = redis.call('EXISTS', hash_key, shadow_key)
  if present == 2 and reclaim then return 2 end
  if present > 0 then
    if not reclaim or redis.call('EXISTS', shadow_key) == 1 then return 0 end
    -- The id's last life has ended (its hash is kept for the grace period): its end is recorded
    -- once (nothing is written when deleteById, the sweep or a listener did it), then it is gone.
    record_destroyed(stream_key, stream_max_length, 'expired', id, '', hash_key, idx_key, index_kind, index_ref, true)
    redis.call('DEL', hash_key, idx_key)
  end
end
if not is_new then
  if redis.call('EXISTS', stored_hash_key, stored_shadow_key) < 2 then return 0 end
  if renamed then
    redis.call('RENAME', stored_hash_key, hash_key)
    redis.call('RENAME', stored_shadow_key, shadow_key)
    if redis.call('EXISTS', stored_idx_key) == 1 then redis.call('RENAME', stored_idx_key, idx_key) end
  end
end

apply_delta(hash_key, ARGV, delta_at)

if shadow_ttl > 0 then
  redis.call('SET', shadow_key, '0', 'PX', shadow_ttl)
elseif shadow_ttl < 0 then
  redis.call('SET', shadow_key, '0')
else
  redis.call('DEL', shadow_key)
end
if hash_ttl >= 0 then redis.call('PEXPIRE', hash_key, hash_ttl) else redis.call('PERSIST', hash_key) end

if index_kind == 'z' then
  if renamed then redis.call('ZREM', new_index_key, stored_id) end
  file_in_sorted_set(new_index_key, new_placement, id)
else
  if old_placement ~= '' and (renamed or old_placement ~= new_placement) then
    redis.call('SREM', old_index_key, 'expires:' .. stored_id)
  end
  -- A delta save that keeps the session in the same bucket has nothing to file again.
  if new_placement ~= '' and (is_new or renamed or new_placement ~= old_placement) then
    file_in_bucket(new_index_key, id, bucket_expire_at, registry_key, new_placement, registry_trim_before)
  end
end

if (renamed or principal_changed) and had_principal then
  redis.call('SREM', stored_principal_key, stored_id)
end
if has_principal then
  if is_new or renamed or principal_changed then
    redis.call('SADD', principal_key, id)
    redis.call('DEL', idx_key)
    if idx_ttl ~= -2 then redis.call('SADD', idx_key, principal_key) end
  end
  if idx_ttl >= 0 then redis.call('PEXPIRE', idx_key, idx_ttl) elseif idx_ttl == -1 then redis.call('PERSIST', idx_key) end
elseif renamed or principal_changed then
  redis.call('DEL', idx_key)
end

if created_channel ~= '' then redis.call('PUBLISH', created_channel, created_payload) end
return 1
`,
);

/** One session's keys: hash, shadow key and `:idx` set. */
export interface SessionKeyTriple {
  readonly hashKey: string;
  readonly shadowKey: string;
  readonly indexReferenceKey: string;
}

/** What {@link saveSession} needs. */
export interface SaveSessionFields {
  /** A session never stored before (written only if the id is free). */
  readonly isNew: boolean;
  readonly id: string;
  /** The id as stored (differs from `id` after an id change: renamed in the script). */
  readonly storedId: string;
  readonly current: SessionKeyTriple;
  readonly stored: SessionKeyTriple;
  readonly filing: ExpirationIndexFiling;
  readonly indexKind: 'm' | 'z';
  /** Shadow key TTL in ms: -1 never expires, 0 delete it. */
  readonly shadowTtlMs: number;
  /** Hash TTL in ms: -1 never expires. */
  readonly hashTtlMs: number;
  /** `:idx` set TTL in ms: -1 never expires; -2 no `:idx` set (the express-session store's sessions: the principal in the hash is what cleans the index). */
  readonly indexReferenceTtlMs: number;
  /** The principal index set the session was in as stored, and the one it belongs in now (`null`: none). */
  readonly storedPrincipalIndexKey: string | null;
  readonly principalIndexKey: string | null;
  readonly principalChanged: boolean;
  /** The created channel and message to publish (new sessions), or `null`. */
  readonly created: { readonly channel: string; readonly message: string } | null;
  /** Bucket registry entries older than this (epoch ms) are trimmed when a bucket is registered. */
  readonly registryTrimBefore: number;
  readonly delta: SessionDelta;
  /**
   * A new session only: write it over an id whose session has ended (recording that end first
   * if nobody has), and resolve `'live'` when the id is a live session. `null`: refuse both.
   */
  readonly reclaim: { readonly eventStreamKey: string; readonly indexReference: string; readonly streamMaxLength: number } | null;
}

/** Saves a session: `'written'`, `'gone'` (nothing written) or, with `reclaim`, `'live'` (a new session's id is a live session; nothing written). */
export async function saveSession(run: ScriptRunner, f: SaveSessionFields): Promise<'written' | 'gone' | 'live'> {
  const hashKey = f.current.hashKey;
  const renamed = !f.isNew && f.storedId !== f.id;
  // Keys that do not apply are the hash key again, so every key stays in the session's slot.
  const keys = [
    hashKey,
    f.current.shadowKey,
    f.current.indexReferenceKey,
    f.stored.hashKey,
    f.stored.shadowKey,
    f.stored.indexReferenceKey,
    f.filing.newKey ?? hashKey,
    f.filing.oldKey ?? hashKey,
    f.filing.registryKey,
    f.storedPrincipalIndexKey ?? hashKey,
    f.principalIndexKey ?? hashKey,
    f.reclaim?.eventStreamKey ?? hashKey,
  ];
  const args: (string | number)[] = [
    f.isNew ? '1' : '0',
    renamed ? '1' : '0',
    f.id,
    f.storedId,
    f.shadowTtlMs,
    f.hashTtlMs,
    f.filing.newPlacement ?? '',
    f.filing.oldPlacement ?? '',
    f.filing.expireAt,
    f.storedPrincipalIndexKey === null ? '0' : '1',
    f.principalIndexKey === null ? '0' : '1',
    f.principalChanged ? '1' : '0',
    f.indexReferenceTtlMs,
    f.created?.channel ?? '',
    f.created?.message ?? '',
    f.registryTrimBefore,
    f.indexKind,
    f.reclaim === null ? '0' : '1',
    f.reclaim?.indexReference ?? '',
    f.reclaim?.streamMaxLength ?? 0,
  ];
  pushDelta(args, f.delta.set, f.delta.remove);
  const reply = await run(saveSessionScript, keys, args, f.id);
  return reply === 1 ? 'written' : reply === 2 ? 'live' : 'gone';
}
