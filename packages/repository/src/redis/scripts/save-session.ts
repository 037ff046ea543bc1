import type { ExpirationIndexFiling } from '../../expiration/ExpirationStrategy.js';
import type { SessionDelta } from '../../mapper/RedisSessionMapper.js';
import { defineScript, type ScriptArgs, type ScriptRunner } from '../LuaScript.js';
import { LUA_INDEX_FILING, LUA_WRITE_HELPERS, pushDelta } from './lua-helpers.js';
import { LUA_END_BODY } from '../../session-ends/lua-end-helpers.js';
import { BUCKET_RETENTION_MS } from '../../expiration/minute-buckets/minute-bucket.js';

/**
 * Saves a session in ONE round trip: new session, delta save and id change alike (Spring
 * sends 7–8 sequential commands, `docs/spring-session.md` §2.2–2.3).
 *
 * A session that Redis no longer holds (deleted or expired meanwhile, shadow key or hash
 * gone) is not resurrected: the script writes nothing and returns 0 (Spring gh-1137,
 * gh-1743). Nor is a new session written over an id that is taken, or whose session ended
 * less than the grace period ago (caller-chosen ids, as express-session's): also 0. An id
 * change renames inside the script, so RENAME cannot fail half-way. Removed attributes are
 * HDEL'd (Spring #1331). The bucket gets its TTL after SADD, never before (Spring #3477), and
 * a never-expiring session gets no TTL and no bucket (#3320).
 *
 * The expiration index is minute buckets (`index_kind` `m`: `index_key` the bucket registry,
 * `prefix` the bucket key prefix; the bucket left and the one filed are computed from what the
 * stored hash holds before and after the delta, so concurrent saves never leave a session in
 * two buckets) or the sorted set (`z`: `index_key` the sorted set, `score` the expiry in ms).
 * Every key it writes is checked before the first write: a key of the wrong type fails the call
 * (`LAPSE_WRONGTYPE`) with nothing written. Returns 1 when written, 0 when the session was gone.
 *
 * With `reclaim` (the express-session store, whose ids are the client's), a new session is
 * written over an id whose last session has ended less than the grace period ago (its end
 * recorded in the event stream first, if nobody has yet), and the script returns 2 without
 * writing when the id is a live session. Each life of an id gets its own `creationTime`
 * (listeners tell one end from another by id and creation time): a new session dated no later
 * than the ended one it replaces (written within the same millisecond) is dated a millisecond
 * after it, in the hash and in the created message (JSON: its `"creationTime":` member).
 */
export const saveSessionScript = defineScript({
  name: 'lapse:save-session',
  helpers: `${LUA_WRITE_HELPERS}${LUA_INDEX_FILING}${LUA_END_BODY}`,
  // Keys that do not apply are the hash key again, so every key stays in the session's slot.
  keys: [
    'hash_key', 'shadow_key', 'idx_key',
    'stored_hash_key', 'stored_shadow_key', 'stored_idx_key',
    'index_key', 'stored_principal_key', 'principal_key', 'stream_key',
  ],
  args: [
    'is_new:flag', 'renamed:flag', 'id', 'stored_id',
    'shadow_ttl:number', 'hash_ttl:number',
    'score', 'prefix', 'retention_ms:number',
    'had_principal:flag', 'has_principal:flag', 'principal_changed:flag',
    'idx_ttl:number',
    'created_channel', 'created_payload', 'registry_trim_before', 'index_kind',
    'reclaim:flag', 'index_ref', 'stream_max_length',
    'quote', // '"': set members in Spring's JSON form
    'stream_max_age_ms',
  ],
  tail: 'delta', // see apply_delta
  reply: (reply): 'written' | 'gone' | 'live' => (reply === 1 ? 'written' : reply === 2 ? 'live' : 'gone'),
  body: `
-- With reclaim, a new session takes the id of one that has ended (its hash kept for the grace period).
local ended = false
if is_new then
  local present = redis.call('EXISTS', hash_key, shadow_key)
  if present == 2 and reclaim then return 2 end
  if present > 0 then
    if not reclaim or redis.call('EXISTS', shadow_key) == 1 then return 0 end
    ended = true
  end
end
if not is_new and redis.call('EXISTS', stored_hash_key, stored_shadow_key) < 2 then return 0 end

local leave_principal = (renamed or principal_changed) and had_principal
local join_principal = has_principal and (is_new or renamed or principal_changed)
for _, key in ipairs({ hash_key, stored_hash_key }) do check_type(key, 'hash') end
for _, key in ipairs({ shadow_key, stored_shadow_key }) do check_type(key, 'string') end
for _, key in ipairs({ idx_key, stored_idx_key }) do check_type(key, 'set') end
local from, to = delta_buckets(stored_hash_key, ARGV, delta_at)
check_filing(index_kind, index_key, prefix, from, to)
if leave_principal then check_type(stored_principal_key, 'set') end
if join_principal then check_type(principal_key, 'set') end
-- The ended session's end, recorded once (nothing to do when deleteById, the sweep or a listener did it).
local ending = ended and plan_end(id, hash_key, idx_key, stream_key, index_kind, index_ref, nil, true, true) or nil
if ending then
  if not ending.skip then record_end(ending, stream_key, stream_max_length, stream_max_age_ms, 'expired', '') end
  redis.call('DEL', hash_key, idx_key)
end

if renamed then
  redis.call('RENAME', stored_hash_key, hash_key)
  redis.call('RENAME', stored_shadow_key, shadow_key)
  if redis.call('EXISTS', stored_idx_key) == 1 then redis.call('RENAME', stored_idx_key, idx_key) end
end

apply_delta(hash_key, ARGV, delta_at)
if ending then
  local ended_at, created_at = ending.created_at, tonumber(redis.call('HGET', hash_key, 'creationTime'))
  if ended_at and created_at and created_at <= ended_at then
    local later = as_text(ended_at + 1)
    redis.call('HSET', hash_key, 'creationTime', later)
    created_payload = string.gsub(created_payload, '"creationTime":' .. as_text(created_at), '"creationTime":' .. later, 1)
  end
end

if shadow_ttl > 0 then
  redis.call('SET', shadow_key, '0', 'PX', shadow_ttl)
elseif shadow_ttl < 0 then
  redis.call('SET', shadow_key, '0')
else
  redis.call('DEL', shadow_key)
end
if hash_ttl >= 0 then redis.call('PEXPIRE', hash_key, hash_ttl) else redis.call('PERSIST', hash_key) end

-- A delta save that keeps the session in the same bucket has nothing to file again.
file(index_kind, index_key, score, prefix, from, to, is_new or renamed, stored_id, id, retention_ms, registry_trim_before, quote)

if leave_principal then unfile_member(stored_principal_key, stored_id) end
if has_principal then
  if join_principal then
    redis.call('SADD', principal_key, quote .. id .. quote)
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
});

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
  /** Principal-index and bucket members as JSON strings (Spring's JSON form; the serializer's `setMembersAsJson`). */
  readonly setMembersAsJson: boolean;
  /**
   * A new session only: write it over an id whose session has ended (recording that end first
   * if nobody has), and resolve `'live'` when the id is a live session. `null`: refuse both.
   */
  readonly reclaim: { readonly eventStreamKey: string; readonly indexReference: string; readonly streamMaxLength: number; readonly streamMaxAgeMs: number } | null;
}

/** Saves a session: `'written'`, `'gone'` (nothing written) or, with `reclaim`, `'live'` (a new session's id is a live session; nothing written). */
export async function saveSession(run: ScriptRunner, f: SaveSessionFields): Promise<'written' | 'gone' | 'live'> {
  const hashKey = f.current.hashKey;
  const renamed = !f.isNew && f.storedId !== f.id;
  const keys = [
    hashKey,
    f.current.shadowKey,
    f.current.indexReferenceKey,
    f.stored.hashKey,
    f.stored.shadowKey,
    f.stored.indexReferenceKey,
    f.filing.key,
    f.storedPrincipalIndexKey ?? hashKey,
    f.principalIndexKey ?? hashKey,
    f.reclaim?.eventStreamKey ?? hashKey,
  ];
  const args: ScriptArgs<typeof saveSessionScript> = [
    f.isNew ? '1' : '0',
    renamed ? '1' : '0',
    f.id,
    f.storedId,
    f.shadowTtlMs,
    f.hashTtlMs,
    f.filing.score ?? '',
    f.filing.prefix,
    BUCKET_RETENTION_MS,
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
    f.setMembersAsJson ? '"' : '',
    f.reclaim?.streamMaxAgeMs ?? 0,
  ];
  pushDelta(args, f.delta.set, f.delta.remove);
  return run(saveSessionScript, keys, args, f.id);
}
