import type { CommandArgument } from '../clients/RedisConnection.js';

/**
 * Lua every script starts with:
 * - `check_type` raises `LAPSE_WRONGTYPE <actual> <expected> <key>` (read by
 *   `WrongKeyTypeError.fromReply`) when `key` exists with another type. Each script that writes
 *   checks every key it will write before its first write, so a failed call writes nothing.
 * - `bucket_of` is Spring's `roundUpToNextMinute` (see `minute-bucket.ts`); `bucket_of_times`
 *   the bucket (as text) of stored `lastAccessedTime`/`maxInactiveInterval` values, read with
 *   `metadata_number` (lapse's decimal text, or Spring's Jackson form
 *   `["java.lang.Long",1700000000000]`), `nil` for a session that never expires or has no times.
 * - `unfile_member` removes a set member both as lapse writes it and as Spring's JSON
 *   serializer (`GenericJackson2JsonRedisSerializer`) writes set members, a JSON string:
 *   `"expires:<id>"` in a bucket, `"<id>"` in a principal index; `bucket_member_id` reads the
 *   session id of a bucket member in either form.
 */
export const LUA_BASE = `
local function check_type(key, expected)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= expected then
    error({ err = 'LAPSE_WRONGTYPE ' .. actual .. ' ' .. expected .. ' ' .. key })
  end
end

local function as_text(number)
  return string.format('%.0f', number)
end

local function bucket_of(expires_at)
  return math.floor(expires_at / 60000) * 60000 + 60000
end

local function metadata_number(value)
  if type(value) ~= 'string' then return nil end
  return tonumber(value) or tonumber(string.match(value, '^%[".-",(%-?%d+)%]$'))
end

local function unfile_member(set_key, member)
  redis.call('SREM', set_key, member, '"' .. member .. '"')
end

local function bucket_member_id(member)
  if string.byte(member, 1) == 34 then return string.sub(member, 10, -2) end
  return string.sub(member, 9)
end

local function bucket_of_times(last_accessed, max_inactive)
  last_accessed, max_inactive = metadata_number(last_accessed), metadata_number(max_inactive)
  if last_accessed and max_inactive and max_inactive >= 0 then return as_text(bucket_of(last_accessed + max_inactive * 1000)) end
  return nil
end
`;

/**
 * What a save needs (after {@link LUA_BASE}):
 * - `call_chunked` sends a variadic command in chunks, so that very many fields never exceed
 *   Lua's C stack (about 8,000 values for `unpack`).
 * - `apply_delta` writes a save's fields from `values` (the script's ARGV) from `at` on: n
 *   fields to set, then n field/value pairs, then m, then m fields to delete. Each script
 *   declares its delta as its tail (`tail: 'delta'`, see `defineScript`): its header names where
 *   the delta starts, `delta_at`.
 * - `delta_buckets` reads, from what Redis holds, the minute bucket the stored hash files the
 *   session in and the one it files it in once the delta is written (either `nil`: none; both
 *   `''` without reading when `only_if_timed` and the delta writes neither time). Saves
 *   move a session's bucket entry by these, never by what the client believed was stored, so
 *   concurrent saves cannot leave it filed in two buckets.
 */
export const LUA_WRITE_HELPERS = `${LUA_BASE}
local function call_chunked(command, key, values, first, last, step)
  if last < first then return end
  if last - first < step then
    redis.call(command, key, unpack(values, first, last))
    return
  end
  local at = first
  while at <= last do
    local stop = math.min(at + step - 1, last)
    local chunk = {}
    for j = at, stop do chunk[#chunk + 1] = values[j] end
    redis.call(command, key, unpack(chunk))
    at = stop + 1
  end
end

local function apply_delta(hash_key, values, at)
  local n_set = tonumber(values[at])
  call_chunked('HSET', hash_key, values, at + 1, at + n_set * 2, 1000)
  at = at + n_set * 2 + 1
  local n_del = tonumber(values[at])
  call_chunked('HDEL', hash_key, values, at + 1, at + n_del, 1000)
end

-- Runs fn(...), a command on hash_key; a hash_key of the wrong type fails it before it writes,
-- reported as check_type does. Cheaper than a TYPE call before every hash command.
local function on_hash(hash_key, fn, ...)
  local ok, result = pcall(fn, ...)
  if ok then return result end
  check_type(hash_key, 'hash')
  error(result)
end

local function delta_buckets(hash_key, values, at, only_if_timed)
  local last_accessed, max_inactive
  for i = at + 1, at + tonumber(values[at]) * 2, 2 do
    if values[i] == 'lastAccessedTime' then last_accessed = values[i + 1] end
    if values[i] == 'maxInactiveInterval' then max_inactive = values[i + 1] end
  end
  -- A touch whose delta writes neither time leaves the bucket as it is.
  if only_if_timed and not last_accessed and not max_inactive then return '', '' end
  local stored = on_hash(hash_key, redis.call, 'HMGET', hash_key, 'lastAccessedTime', 'maxInactiveInterval')
  return bucket_of_times(stored[1], stored[2]), bucket_of_times(last_accessed or stored[1], max_inactive or stored[2])
end
`;

/**
 * Appends the arguments {@link LUA_WRITE_HELPERS}' `apply_delta` reads to `args`: the count of
 * fields to set, the field/value pairs (`set`, flat), the count of fields to delete, and those
 * fields.
 */
export function pushDelta(args: CommandArgument[], set: readonly string[], remove: readonly string[]): void {
  args.push(set.length / 2);
  for (const value of set) args.push(value);
  args.push(remove.length);
  for (const field of remove) args.push(field);
}

/**
 * The body of `touch-session` and `refresh-session` (the common request of the repository and of
 * the express-session store), after {@link LUA_WRITE_HELPERS}, in two steps so the caller checks
 * its own keys between them:
 * - `touch_allowed` writes nothing. It returns 0 when the hash or the shadow key is gone (no
 *   resurrection); 2 when `in_bucket` (minute buckets) and the stored times with the delta (from
 *   `values` at `at`) put the session in another bucket than they did (another process saved it
 *   meanwhile: the caller sends the full save, which moves it); else 1. It checks the shadow
 *   key's type; the hash's is checked by its first command (`on_hash`).
 * - `refresh_live` writes the delta and sets both TTLs.
 */
export const LUA_REFRESH_LIVE = `
local function touch_allowed(hash_key, shadow_key, values, at, in_bucket)
  if redis.call('EXISTS', hash_key, shadow_key) < 2 then return 0 end
  check_type(shadow_key, 'string')
  if in_bucket then
    local stored, updated = delta_buckets(hash_key, values, at, true)
    if stored ~= updated then return 2 end
  end
  return 1
end

local function refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, values, at)
  on_hash(hash_key, apply_delta, hash_key, values, at)
  redis.call('PEXPIRE', shadow_key, shadow_ttl)
  redis.call('PEXPIRE', hash_key, hash_ttl)
end
`;

/**
 * How the general write script (`save-session`) files a session in its
 * expiration index, after {@link LUA_WRITE_HELPERS}:
 * - `check_filing` checks the keys `file` will write (before anything is written).
 * - `file` moves the session: with the sorted set (`index_kind` `z`, `index_key` the sorted set)
 *   it sets the id's score to `score`, or removes it when `score` is `''`; with minute buckets
 *   (`m`, `index_key` the bucket registry, `prefix` the bucket key prefix) it removes
 *   `expires:<stored_id>` from bucket `from` and adds `expires:<id>` to bucket `to` (both from
 *   `delta_buckets`), unless they are the same and `refile` is false; members are written
 *   between `quote`s (`"` for Spring's JSON form, see `setMembersAsJson`). A bucket gets its TTL
 *   (`retention_ms` past its minute) after SADD, never before (Spring #3477), and its minute is
 *   registered, trimming entries older than `trim_before` when the minute is new there.
 */
export const LUA_INDEX_FILING = `
local function check_filing(index_kind, index_key, prefix, from, to)
  if index_kind == 'z' then check_type(index_key, 'zset') return end
  if from then check_type(prefix .. from, 'set') end
  if to then
    check_type(prefix .. to, 'set')
    check_type(index_key, 'zset')
  end
end

local function file(index_kind, index_key, score, prefix, from, to, refile, stored_id, id, retention_ms, trim_before, quote)
  if index_kind == 'z' then
    if stored_id ~= id then redis.call('ZREM', index_key, stored_id) end
    if score ~= '' then redis.call('ZADD', index_key, score, id) else redis.call('ZREM', index_key, id) end
    return
  end
  if from == to and not refile then return end
  if from then unfile_member(prefix .. from, 'expires:' .. stored_id) end
  if to then
    local bucket_key = prefix .. to
    redis.call('SADD', bucket_key, quote .. 'expires:' .. id .. quote)
    redis.call('PEXPIREAT', bucket_key, as_text(tonumber(to) + retention_ms))
    if redis.call('ZADD', index_key, to, to) == 1 then
      redis.call('ZREMRANGEBYSCORE', index_key, '-inf', '(' .. trim_before)
    end
  end
end
`;
