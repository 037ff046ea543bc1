import { LuaScript, type ScriptRunner } from '../LuaScript.js';
import type { ExpirationIndexFiling } from '../../expiration/RedisSessionExpirationIndex.js';
import { BUCKET_RETENTION_MS } from '../../expiration/MinuteBucketExpirationIndex.js';
import { LUA_INDEX_FILING, LUA_WRITE_HELPERS, pushDelta } from './lua-helpers.js';

/**
 * One write of a session whose fields the caller computed itself (the express-session store,
 * through `SessionHashStore`): one round trip for a new session, a changed one and a touch.
 *
 * Mode `c` (create): writes the session only when neither its hash nor its shadow key exists;
 * returns 2 when both exist (a live session: the caller updates it instead) and 0 when only one
 * does (a session that ended less than the grace period ago is never brought back).
 * Mode `u` (update): writes only while both exist, else returns 0 and writes nothing (no
 * resurrection of a session deleted or expired meanwhile).
 *
 * The caller sends only the fields that differ from what it read (removed ones to HDEL), the
 * shadow key's TTL and the hash's (grace period added), the session's expiration-index filing
 * (same rules as `save-session`: the bucket left and the one filed come from the stored times
 * before and after the delta, bucket TTL after SADD, registry trimmed; every key written is
 * checked first, so a key of the wrong type fails the call with nothing written), and the
 * principal-index move when the principal changed. No `:idx` set is kept: the principal lives
 * in the hash (`lapse.principal`), which is what deletes and session ends clean the index from;
 * a stale `:idx` set from an earlier repository save is dropped when the principal moves.
 * Returns 1 when written, 0 when refused, 2 (mode `c`) when the session is live.
 */
export const writeSessionHashScript = new LuaScript(
  'lapse:write-session-hash',
  `${LUA_WRITE_HELPERS}${LUA_INDEX_FILING}
local hash_key, shadow_key, idx_key = KEYS[1], KEYS[2], KEYS[3]
local index_key, old_principal_key, new_principal_key = KEYS[4], KEYS[5], KEYS[6]
local mode, id, shadow_ttl, hash_ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local index_kind, score, prefix, retention_ms, registry_trim = ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8]), ARGV[9]
local principal_changed, created_channel, created_body = ARGV[10] == '1', ARGV[11], ARGV[12]
local quote = ARGV[13] -- '"': set members in Spring's JSON form
local delta_at = 14 -- ARGV[14] on: the delta (see apply_delta)

local create = mode == 'c'
local present = redis.call('EXISTS', hash_key, shadow_key)
if create then
  if present == 2 then return 2 end
  if present > 0 then return 0 end
elseif present < 2 then
  return 0
end

check_type(hash_key, 'hash')
check_type(shadow_key, 'string')
local from, to = delta_buckets(hash_key, ARGV, delta_at)
check_filing(index_kind, index_key, prefix, from, to)
if principal_changed then
  if old_principal_key ~= hash_key then check_type(old_principal_key, 'set') end
  if new_principal_key ~= hash_key then check_type(new_principal_key, 'set') end
end

if create then redis.call('DEL', idx_key) end
apply_delta(hash_key, ARGV, delta_at)

if create then
  if shadow_ttl > 0 then redis.call('SET', shadow_key, '0', 'PX', shadow_ttl) else redis.call('SET', shadow_key, '0') end
elseif shadow_ttl > 0 then
  redis.call('PEXPIRE', shadow_key, shadow_ttl)
else
  redis.call('PERSIST', shadow_key)
end
if hash_ttl > 0 then redis.call('PEXPIRE', hash_key, hash_ttl) elseif not create then redis.call('PERSIST', hash_key) end

if index_kind == 'z' or index_kind == 'm' then
  file(index_kind, index_key, score, prefix, from, to, create, id, id, retention_ms, registry_trim, quote)
end

if principal_changed then
  if old_principal_key ~= hash_key then unfile_member(old_principal_key, id) end
  if new_principal_key ~= hash_key then redis.call('SADD', new_principal_key, quote .. id .. quote) end
  if not create then redis.call('DEL', idx_key) end
end

if created_channel ~= '' then redis.call('PUBLISH', created_channel, created_body) end
return 1
`,
);

/** What {@link writeSessionHash} needs (keys of the session's shard; `hashKey` stands in for a key that does not apply). */
export interface WriteSessionHashFields {
  readonly mode: 'create' | 'update';
  readonly id: string;
  readonly hashKey: string;
  readonly shadowKey: string;
  readonly indexReferenceKey: string;
  /** Shadow key TTL in ms, -1 for never. */
  readonly shadowTtlMs: number;
  /** Hash TTL in ms, -1 for never. */
  readonly hashTtlMs: number;
  /** Where the session is filed in its expiration index (the script moves a bucket entry by the stored times). */
  readonly filing: ExpirationIndexFiling;
  readonly indexKind: 'm' | 'z';
  /** Registry entries of minutes before this are trimmed when a new minute is registered (minute buckets). */
  readonly registryTrimBefore: number;
  /** The principal-index move when the principal changed (`null` key: none), else `null`. */
  readonly principalMove: { readonly from: string | null; readonly to: string | null } | null;
  /** Create mode: the created channel and the event body. */
  readonly created: { readonly channel: string; readonly body: string } | null;
  readonly set: readonly string[];
  readonly remove: readonly string[];
  /** Principal-index and bucket members as JSON strings (Spring's JSON form; the serializer's `setMembersAsJson`). */
  readonly setMembersAsJson: boolean;
}

/** Writes the session: `'written'`, `'gone'` (refused, nothing written) or `'live'` (create mode, the id is a live session). */
export async function writeSessionHash(run: ScriptRunner, f: WriteSessionHashFields): Promise<'written' | 'gone' | 'live'> {
  const keys = [
    f.hashKey,
    f.shadowKey,
    f.indexReferenceKey,
    f.filing.key,
    f.principalMove?.from ?? f.hashKey,
    f.principalMove?.to ?? f.hashKey,
  ];
  const args: (string | number)[] = [
    f.mode === 'create' ? 'c' : 'u',
    f.id,
    f.shadowTtlMs,
    f.hashTtlMs,
    f.indexKind,
    f.filing.score ?? '',
    f.filing.prefix,
    BUCKET_RETENTION_MS,
    f.registryTrimBefore,
    f.principalMove === null ? '0' : '1',
    f.created?.channel ?? '',
    f.created?.body ?? '',
    f.setMembersAsJson ? '"' : '',
  ];
  pushDelta(args, f.set, f.remove);
  const reply = await run(writeSessionHashScript, keys, args, f.id);
  return reply === 2 ? 'live' : reply === 1 ? 'written' : 'gone';
}
