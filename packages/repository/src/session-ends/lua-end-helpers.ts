import { LUA_BASE } from '../redis/scripts/lua-helpers.js';

/**
 * Lua of the scripts that end sessions (`delete-session`, `record-session-end`, the sweeps),
 * after {@link LUA_BASE}. Ending a session is two steps, so a script that ends several checks
 * them all before it writes anything:
 * - `plan_end` reads what ending session `id` takes (its hash, whether its end is recorded
 *   already: the hash field `lapseEventRecorded`, its `creationTime` as a number when it is one;
 *   its `:idx` set and the index sets it names)
 *   and checks the type of every key ending it writes: the `:idx` set and those index sets, its
 *   expiration-index entry (index kind `m`: the bucket its stored times name and `extra_bucket`,
 *   prefixed by `index_ref`; `z`: the sorted set `index_ref`; `''`: a sweep that takes the entry
 *   out itself) and the event stream. With `only_unrecorded` it stops before the checks when
 *   there is nothing to record (`plan.skip`): the end is recorded already, or (`need_data`, a
 *   listener woken by a keyspace notification) there is no hash to mark.
 * - `unfile` removes the session from its expiration index and from every index set its
 *   `:idx` set names, and deletes the `:idx` set.
 * - `record_end` writes the end, with the session's last data, to the event stream exactly
 *   once, whoever gets there first (deleteById, the sweep, or a listener): it marks the hash
 *   and unfiles the session. Without a readable hash there is nothing to mark: then only
 *   deleteById (which DELs the shadow key itself) and the sweep (which takes bucket members
 *   atomically) record the end, never a listener. After its XADD it trims the stream by age.
 * - `trim_by_age` removes the event stream's records older than `max_age_ms` before `now_ms`
 *   (exactly, by their ids, which are Redis's clock when they were added): `record_end` calls
 *   it with the new record's own time, and each sweep with Redis's clock, so records age out
 *   even while no session ends.
 * - `java_serialized` tells a hash Spring wrote with its default `JdkSerializationRedisSerializer`
 *   (values start with Java serialization's stream header): Spring deserializes every field of a
 *   hash it reads, so what lapse writes into such a hash (the end marker, deleteById's zero
 *   timeout) is written in Java serialization too, a String '1' and an Integer 0.
 */
export const LUA_END_BODY = `
local function java_serialized(hash)
  for i = 1, #hash, 2 do
    if hash[i] == 'creationTime' then return string.sub(hash[i + 1], 1, 4) == '\\172\\237\\0\\5' end
  end
  return false
end
local JAVA_STRING_ONE = '\\172\\237\\0\\5t\\0\\0011'
local JAVA_INTEGER_ZERO = '\\172\\237\\0\\5sr\\0\\17java.lang.Integer\\18\\226\\160\\164\\247\\129\\1358\\2\\0\\1I\\0\\5valuexr\\0\\16java.lang.Number\\134\\172\\149\\29\\11\\148\\224\\139\\2\\0\\0xp\\0\\0\\0\\0'

local function trim_by_age(stream, now_ms, max_age_ms)
  local min_ms = now_ms - tonumber(max_age_ms)
  if min_ms > 0 then redis.call('XTRIM', stream, 'MINID', as_text(min_ms)) end
end

local function plan_end(id, hash_key, idx_key, stream_key, index_kind, index_ref, extra_bucket, only_unrecorded, need_data)
  local readable, hash = pcall(redis.call, 'HGETALL', hash_key)
  if not readable then hash = {} end
  local plan = { id = id, idx_key = idx_key, hash_key = hash_key, readable = readable, hash = hash, recorded = false, buckets = {}, index_keys = {} }
  local last_accessed, max_inactive
  for i = 1, #hash, 2 do
    if hash[i] == 'lapseEventRecorded' then plan.recorded = true end
    if hash[i] == 'creationTime' then plan.created_at = tonumber(hash[i + 1]) end
    if hash[i] == 'lastAccessedTime' then last_accessed = hash[i + 1] end
    if hash[i] == 'maxInactiveInterval' then max_inactive = hash[i + 1] end
  end
  if only_unrecorded and (plan.recorded or (need_data and #hash == 0)) then
    plan.skip = true
    return plan
  end
  check_type(idx_key, 'set')
  plan.index_keys = redis.call('SMEMBERS', idx_key)
  for _, key in ipairs(plan.index_keys) do check_type(key, 'set') end
  if index_kind == 'z' then
    check_type(index_ref, 'zset')
    plan.sorted_set = index_ref
  elseif index_kind == 'm' then
    local named = bucket_of_times(last_accessed, max_inactive)
    if named then plan.buckets[#plan.buckets + 1] = index_ref .. named end
    if extra_bucket and extra_bucket ~= named then plan.buckets[#plan.buckets + 1] = index_ref .. extra_bucket end
    for _, bucket in ipairs(plan.buckets) do check_type(bucket, 'set') end
  end
  check_type(stream_key, 'stream')
  return plan
end

local function unfile(plan)
  local id = plan.id
  if plan.sorted_set then redis.call('ZREM', plan.sorted_set, id) end
  for _, bucket in ipairs(plan.buckets) do unfile_member(bucket, 'expires:' .. id) end
  for _, index_key in ipairs(plan.index_keys) do unfile_member(index_key, id) end
  if #plan.index_keys > 0 then redis.call('DEL', plan.idx_key) end
end

local function record_end(plan, stream, max_length, max_age_ms, kind, reason)
  local id, hash, readable = plan.id, plan.hash, plan.readable
  unfile(plan)
  if #hash > 0 then redis.call('HSET', plan.hash_key, 'lapseEventRecorded', java_serialized(hash) and JAVA_STRING_ONE or '1') end
  local encoded_hash, encoded_indexes = '[]', '[]'
  if #hash > 0 then encoded_hash = cjson.encode(hash) end
  if #plan.index_keys > 0 then encoded_indexes = cjson.encode(plan.index_keys) end
  local added = redis.call('XADD', stream, 'MAXLEN', '~', max_length, '*', 'type', kind, 'id', id, 'reason', reason,
    'hash', encoded_hash, 'readable', readable and '1' or '0', 'indexes', encoded_indexes)
  trim_by_age(stream, tonumber(string.match(added, '^%d+')), max_age_ms)
end
`;

/** {@link LUA_BASE} and the end helpers (`LUA_END_BODY`: the same without LUA_BASE, for `save-session`, which has it from its write helpers). */
export const LUA_END_HELPERS = `${LUA_BASE}${LUA_END_BODY}`;
