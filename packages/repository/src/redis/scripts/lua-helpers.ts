/**
 * What a save needs, kept apart from the other helpers for the touch script (each helper is a
 * closure made per call):
 * - `call_chunked` sends a variadic command in chunks, so that very many fields never exceed
 *   Lua's C stack (about 8,000 values for `unpack`).
 * - `apply_delta` writes a save's fields from `values` (the script's ARGV) from `at` on: n
 *   fields to set, then n field/value pairs, then m, then m fields to delete. Each script
 *   names where its delta starts in its header.
 */
export const LUA_WRITE_HELPERS = `
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
`;

/**
 * Appends the arguments {@link LUA_WRITE_HELPERS}' `apply_delta` reads to `args`: the count of
 * fields to set, the field/value pairs (`set`, flat), the count of fields to delete, and those
 * fields.
 */
export function pushDelta(args: (string | number)[], set: readonly string[], remove: readonly string[]): void {
  args.push(set.length / 2);
  for (const value of set) args.push(value);
  args.push(remove.length);
  for (const field of remove) args.push(field);
}

/**
 * The body of `touch-session` (the common request of the repository and of the express-session
 * store), after {@link LUA_WRITE_HELPERS}: `refresh_live` writes a live session's delta (from `values` at
 * `at`) and sets both TTLs; it returns false and writes nothing when the hash or the shadow key
 * is gone (no resurrection).
 */
export const LUA_REFRESH_LIVE = `
local function refresh_live(hash_key, shadow_key, shadow_ttl, hash_ttl, values, at)
  if redis.call('EXISTS', hash_key, shadow_key) < 2 then return false end
  apply_delta(hash_key, values, at)
  redis.call('PEXPIRE', shadow_key, shadow_ttl)
  redis.call('PEXPIRE', hash_key, hash_ttl)
  return true
end
`;

/**
 * How the general write script (`save-session`) files a session in its
 * expiration index:
 * - `file_in_sorted_set` sets the id's score to `score`, or removes it when `score` is `''`.
 * - `file_in_bucket` adds `expires:<id>` to the minute bucket `bucket_key`, whose TTL is set
 *   after SADD, never before (Spring #3477), and registers the bucket's `minute` in the
 *   registry, trimming entries older than `trim_before` when the minute is new there.
 */
export const LUA_INDEX_FILING = `
local function file_in_sorted_set(sorted_set_key, score, id)
  if score ~= '' then redis.call('ZADD', sorted_set_key, score, id) else redis.call('ZREM', sorted_set_key, id) end
end

local function file_in_bucket(bucket_key, id, bucket_expire_at, registry_key, minute, trim_before)
  redis.call('SADD', bucket_key, 'expires:' .. id)
  redis.call('PEXPIREAT', bucket_key, bucket_expire_at)
  if redis.call('ZADD', registry_key, minute, minute) == 1 then
    redis.call('ZREMRANGEBYSCORE', registry_key, '-inf', '(' .. trim_before)
  end
end
`;

/**
 * Lua shared by lapse's scripts (the write helpers above, and these):
 * - `bucket_of` is Spring's `roundUpToNextMinute` (see `minute-bucket.ts`).
 * - `leave_index` removes a session from its expiration index: index kind `m` (minute
 *   buckets; the reference is the bucket key prefix and the bucket comes from the stored hash)
 *   or `z` (the sorted set; the reference is its key); `''` when the caller (a sweep) has
 *   already taken it out.
 * - `forget_indexes` removes a session id from every index set named in its `:idx` set.
 * - `record_destroyed` writes a session's end, with its last data, to the event stream exactly
 *   once, whoever gets there first (deleteById, the sweep, or a listener woken by a keyspace
 *   notification): the hash field `lapseEventRecorded` marks it done. It also removes the
 *   session from its bucket and indexes. Without a readable hash there is nothing to mark:
 *   then only deleteById (which DELs the shadow key itself) and the sweep (which takes bucket
 *   members atomically) record the end, never a listener (`need_data`).
 */
export const LUA_HELPERS = `${LUA_WRITE_HELPERS}
local function bucket_of(expires_at)
  return math.floor(expires_at / 60000) * 60000 + 60000
end

local function as_text(number)
  return string.format('%.0f', number)
end

-- A metadata field as lapse writes it (decimal text), or as Spring's Jackson serializer does
-- (["java.lang.Long",1700000000000]).
local function metadata_number(value)
  return tonumber(value) or tonumber(string.match(value, '^%[".-",(%-?%d+)%]$'))
end

-- Removes 'expires:<id>' from the bucket its stored lastAccessedTime + maxInactiveInterval
-- put it in (read with metadata_number), or the id
-- from the sorted set.
local function leave_index(index_kind, index_ref, hash, id)
  if index_kind == '' then return end
  if index_kind == 'z' then
    redis.call('ZREM', index_ref, id)
    return
  end
  local last_accessed, max_inactive
  for i = 1, #hash, 2 do
    if hash[i] == 'lastAccessedTime' then last_accessed = metadata_number(hash[i + 1]) end
    if hash[i] == 'maxInactiveInterval' then max_inactive = metadata_number(hash[i + 1]) end
  end
  if last_accessed and max_inactive and max_inactive >= 0 then
    redis.call('SREM', index_ref .. as_text(bucket_of(last_accessed + max_inactive * 1000)), 'expires:' .. id)
  end
end

local function forget_indexes(idx_key, id)
  local index_keys = redis.call('SMEMBERS', idx_key)
  for _, index_key in ipairs(index_keys) do redis.call('SREM', index_key, id) end
  if #index_keys > 0 then redis.call('DEL', idx_key) end
  return index_keys
end

local function record_destroyed(stream, max_length, kind, id, reason, hash_key, idx_key, index_kind, index_ref, need_data)
  local readable, hash = pcall(redis.call, 'HGETALL', hash_key)
  if not readable then hash = {} end
  for i = 1, #hash, 2 do
    if hash[i] == 'lapseEventRecorded' then return 0, hash, {} end
  end
  if need_data and #hash == 0 then return 0, hash, {} end
  leave_index(index_kind, index_ref, hash, id)
  local index_keys = forget_indexes(idx_key, id)
  if #hash > 0 then redis.call('HSET', hash_key, 'lapseEventRecorded', '1') end
  local encoded_hash, encoded_indexes = '[]', '[]'
  if #hash > 0 then encoded_hash = cjson.encode(hash) end
  if #index_keys > 0 then encoded_indexes = cjson.encode(index_keys) end
  redis.call('XADD', stream, 'MAXLEN', '~', max_length, '*', 'type', kind, 'id', id, 'reason', reason,
    'hash', encoded_hash, 'readable', readable and '1' or '0', 'indexes', encoded_indexes)
  return 1, hash, index_keys
end
`;
