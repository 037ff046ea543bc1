// sweep-sorted-set: the keys and ARGV a sweep builds (by the script's names), its Lua header, its reply.
import { describe, expect, it } from 'vitest';
import { sweepSortedSet, sweepSortedSetScript, type SweepSortedSetFields } from '../../../src/expiration/sorted-set/sweep-sorted-set.js';
import { capturing, expectHeaderDeclares, onlyCall } from '../scripts/captureScripts.js';

const fields: SweepSortedSetFields = {
  sortedSetKey: 'ns:sessions:expirations',
  eventStreamKey: 'ns:session-events',
  shadowKeyPrefix: 'ns:sessions:expires:',
  sessionKeyPrefix: 'ns:sessions:',
  maxEntries: 500,
  streamMaxLength: 10_000,
  streamMaxAgeMs: 86_400_000,
};

describe('sweep-sorted-set', () => {
  it('declares its keys and arguments (the count as a number) in its Lua header', () => {
    expectHeaderDeclares(
      sweepSortedSetScript,
      'sweep-sorted-set',
      ['sorted_set_key', 'stream_key'],
      ['shadow_prefix', 'session_prefix', 'max_entries:number', 'stream_max_length', 'stream_max_age_ms'],
      null,
    );
  });

  it("sends the shard's sorted set and stream, the prefixes and the limits by name, for no session", async () => {
    const { run, calls } = capturing([0, 0, '-1', '1700000000000']);
    await sweepSortedSet(run, fields);
    const call = onlyCall(calls, sweepSortedSetScript);
    expect(call.keys).toEqual({ sorted_set_key: 'ns:sessions:expirations', stream_key: 'ns:session-events' });
    expect(call.args).toEqual({
      shadow_prefix: 'ns:sessions:expires:',
      session_prefix: 'ns:sessions:',
      max_entries: 500,
      stream_max_length: 10_000,
      stream_max_age_ms: 86_400_000,
    });
    expect(call.sessionId).toBeUndefined();
  });

  it('reads the next deadline and Redis\'s clock from their decimal text', async () => {
    expect(await sweepSortedSet(capturing([2, 3, '1700000060000', '1700000000000']).run, fields)).toEqual({
      touched: 2,
      taken: 3,
      nextDeadline: 1_700_000_060_000,
      now: 1_700_000_000_000,
    });
  });

  it('reads a next deadline of -1 as none (the sorted set is empty)', async () => {
    expect((await sweepSortedSet(capturing([0, 0, '-1', '1700000000000']).run, fields)).nextDeadline).toBeNull();
  });
});
