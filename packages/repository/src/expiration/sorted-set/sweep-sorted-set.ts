import { defineScript, type ScriptRunner } from '../../redis/LuaScript.js';
import { LUA_END_HELPERS } from '../../session-ends/lua-end-helpers.js';

/**
 * The sweep over the sorted-set expiration index (`<ns>:sessions:expirations`, Spring's
 * `SortedSetRedisSessionExpirationStore` key: member = id, score = expiry in ms). It takes the
 * entries due by Redis's clock atomically and removes them, so instances sweeping together
 * share the work, and its cost grows with the due entries only. Each due shadow key is touched
 * (PTTL), which makes Redis expire it now, and the end is recorded with the session's data
 * (Spring's own store touches the wrong key, gh-3468, and never removes entries). An entry
 * filed too early (app clock ahead of Redis) is filed again at its real deadline. The call
 * first reads what it will do and checks every key it will write (the sorted set, each ending
 * session's `:idx` set and index sets, the event stream), then writes: a key of the wrong type
 * fails the call with nothing written.
 */
export const sweepSortedSetScript = defineScript({
  name: 'lapse:sweep-sorted-set',
  helpers: LUA_END_HELPERS,
  keys: ['sorted_set_key', 'stream_key'],
  args: ['shadow_prefix', 'session_prefix', 'max_entries:number', 'stream_max_length', 'stream_max_age_ms'],
  reply: (reply): SweepSortedSetResult => {
    const [touched, taken, next, now] = reply as [number, number, string, string];
    const nextDeadline = Number(next);
    return { touched, taken, nextDeadline: nextDeadline < 0 ? null : nextDeadline, now: Number(now) };
  },
  body: `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
check_type(sorted_set_key, 'zset')
local due = redis.call('ZRANGEBYSCORE', sorted_set_key, '-inf', now, 'LIMIT', 0, max_entries)
-- First what to do, reads only, with every key it will write checked; then the writes.
local refile, ends, touched = {}, {}, 0
for _, id in ipairs(due) do
  local ttl = redis.call('PTTL', shadow_prefix .. id)
  if ttl >= 0 then
    refile[#refile + 1] = { now + math.max(ttl, 1), id }
  elseif ttl == -2 then
    touched = touched + 1
    local plan = plan_end(id, session_prefix .. id, session_prefix .. id .. ':idx', stream_key, '', '', nil, true, false)
    if not plan.skip then ends[#ends + 1] = plan end
  end
end
check_type(stream_key, 'stream')

-- Records age out even while no session ends.
trim_by_age(stream_key, now, stream_max_age_ms)
-- The due entries are the lowest-ranked ones: taken out in one call, not one ZREM each.
if #due > 0 then redis.call('ZREMRANGEBYRANK', sorted_set_key, 0, #due - 1) end
for _, entry in ipairs(refile) do redis.call('ZADD', sorted_set_key, entry[1], entry[2]) end
for _, plan in ipairs(ends) do record_end(plan, stream_key, stream_max_length, stream_max_age_ms, 'expired', '') end
local first = redis.call('ZRANGE', sorted_set_key, 0, 0, 'WITHSCORES')
local next_deadline = -1
if #first == 2 then next_deadline = tonumber(first[2]) end
return { touched, #due, as_text(next_deadline), as_text(now) }
`,
});

/** What {@link sweepSortedSet} needs (keys and prefixes of one shard). */
export interface SweepSortedSetFields {
  readonly sortedSetKey: string;
  readonly eventStreamKey: string;
  readonly shadowKeyPrefix: string;
  readonly sessionKeyPrefix: string;
  /** Most due entries taken by one call. */
  readonly maxEntries: number;
  readonly streamMaxLength: number;
  /** Records older than this (ms, by Redis's clock) are trimmed from the event stream. */
  readonly streamMaxAgeMs: number;
}

/** What one call of {@link sweepSortedSet} did. */
export interface SweepSortedSetResult {
  /** Due shadow keys touched. */
  readonly touched: number;
  /** Due entries taken out of the sorted set. */
  readonly taken: number;
  /** The earliest deadline still filed (epoch ms, Redis's clock), or `null` when none. */
  readonly nextDeadline: number | null;
  /** Redis's clock when the call ran (epoch ms). */
  readonly now: number;
}

/** One call of the sorted-set sweep. */
export async function sweepSortedSet(run: ScriptRunner, f: SweepSortedSetFields): Promise<SweepSortedSetResult> {
  return run(sweepSortedSetScript,
    [f.sortedSetKey, f.eventStreamKey],
    [f.shadowKeyPrefix, f.sessionKeyPrefix, f.maxEntries, f.streamMaxLength, f.streamMaxAgeMs],
  );
}
