// record-session-end: the keys and ARGV a claim builds (by the script's names), its Lua header, its reply.
import { describe, expect, it } from 'vitest';
import { recordSessionEnd, recordSessionEndScript, type RecordSessionEndFields } from '../../../src/session-ends/record-session-end.js';
import { capturing, expectHeaderDeclares, onlyCall } from '../scripts/captureScripts.js';

const fields: RecordSessionEndFields = {
  hashKey: 'ns:sessions:abc',
  indexReferenceKey: 'ns:sessions:abc:idx',
  shadowKey: 'ns:sessions:expires:abc',
  eventStreamKey: 'ns:session-events',
  id: 'abc',
  indexReference: 'ns:sessions:expirations',
  indexKind: 'z',
  type: 'expired',
  streamMaxLength: 10_000,
  streamMaxAgeMs: 86_400_000,
};

describe('record-session-end', () => {
  it('declares its keys and arguments in its Lua header', () => {
    expectHeaderDeclares(
      recordSessionEndScript,
      'record-session-end',
      ['hash_key', 'idx_key', 'shadow_key', 'stream_key'],
      ['id', 'index_ref', 'end_type', 'stream_max_length', 'index_kind', 'stream_max_age_ms'],
      null,
    );
  });

  it('sends the session\'s keys, the end type, the index and the stream limits by name', async () => {
    const { run, calls } = capturing(1);
    await recordSessionEnd(run, fields);
    const call = onlyCall(calls, recordSessionEndScript);
    expect(call.keys).toEqual({ hash_key: 'ns:sessions:abc', idx_key: 'ns:sessions:abc:idx', shadow_key: 'ns:sessions:expires:abc', stream_key: 'ns:session-events' });
    expect(call.args).toEqual({
      id: 'abc',
      index_ref: 'ns:sessions:expirations',
      end_type: 'expired',
      stream_max_length: 10_000,
      index_kind: 'z',
      stream_max_age_ms: 86_400_000,
    });
    expect(call.sessionId).toBe('abc');
  });

  it.each([
    [1, true],
    [0, false],
  ] as const)('reads reply %s as recorded: %s', async (reply, recorded) => {
    expect(await recordSessionEnd(capturing(reply).run, fields)).toBe(recorded);
  });
});
