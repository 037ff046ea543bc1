import { defineScript, type ScriptRunner } from '../redis/LuaScript.js';
import { LUA_END_HELPERS } from './lua-end-helpers.js';

/**
 * Run by a listener woken by an `expired`/`del` keyspace notification of a shadow key (the
 * fast path): if the shadow key is really gone and nobody has recorded the session's end yet,
 * records it with the session's last data (and cleans its bucket and indexes). Many listeners
 * may race here; one records, the others find the mark. If the notification never arrives,
 * the sweep records the end instead.
 */
export const recordSessionEndScript = defineScript({
  name: 'lapse:record-session-end',
  helpers: LUA_END_HELPERS,
  keys: ['hash_key', 'idx_key', 'shadow_key', 'stream_key'],
  args: ['id', 'index_ref', 'end_type', 'stream_max_length', 'index_kind', 'stream_max_age_ms'],
  /** Whether this call recorded the end (1), or found the session live or its end recorded (0). */
  reply: (reply): boolean => reply === 1,
  body: `
if redis.call('EXISTS', shadow_key) == 1 then return 0 end
local plan = plan_end(id, hash_key, idx_key, stream_key, index_kind, index_ref, nil, true, true)
if plan.skip then return 0 end
record_end(plan, stream_key, stream_max_length, stream_max_age_ms, end_type, '')
return 1
`,
});

/** What {@link recordSessionEnd} needs. */
export interface RecordSessionEndFields {
  readonly hashKey: string;
  readonly indexReferenceKey: string;
  readonly shadowKey: string;
  readonly eventStreamKey: string;
  readonly id: string;
  /** The expiration index's reference (bucket key prefix or sorted-set key) and kind. */
  readonly indexReference: string;
  readonly indexKind: 'm' | 'z';
  readonly type: 'deleted' | 'expired';
  readonly streamMaxLength: number;
  /** Records older than this (ms, by Redis's clock) are trimmed from the event stream. */
  readonly streamMaxAgeMs: number;
}

/** Records a session's end if its shadow key is gone and nobody has; resolves whether this call recorded it. */
export async function recordSessionEnd(run: ScriptRunner, f: RecordSessionEndFields): Promise<boolean> {
  return run(recordSessionEndScript,
    [f.hashKey, f.indexReferenceKey, f.shadowKey, f.eventStreamKey],
    [f.id, f.indexReference, f.type, f.streamMaxLength, f.indexKind, f.streamMaxAgeMs],
    f.id,
  );
}
