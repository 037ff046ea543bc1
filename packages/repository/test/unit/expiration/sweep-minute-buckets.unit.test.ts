// sweep-minute-buckets: the keys and ARGV a sweep builds (by the script's names), its Lua header, its reply.
import { describe, expect, it } from 'vitest';
import { sweepMinuteBuckets, sweepMinuteBucketsScript, type SweepMinuteBucketsFields } from '../../../src/expiration/minute-buckets/sweep-minute-buckets.js';
import { capturing, expectHeaderDeclares, onlyCall } from '../scripts/captureScripts.js';

const fields: SweepMinuteBucketsFields = {
  bucketRegistryKey: 'ns:expirations',
  eventStreamKey: 'ns:session-events',
  bucketKeyPrefix: 'ns:expirations:',
  shadowKeyPrefix: 'ns:sessions:expires:',
  sessionKeyPrefix: 'ns:sessions:',
  maxBuckets: 100,
  bucketRetentionMs: 300_000,
  streamMaxLength: 10_000,
  streamMaxAgeMs: 86_400_000,
};

describe('sweep-minute-buckets', () => {
  it('declares its keys and arguments (the counts as numbers) in its Lua header', () => {
    expectHeaderDeclares(
      sweepMinuteBucketsScript,
      'sweep-minute-buckets',
      ['registry_key', 'stream_key'],
      ['bucket_prefix', 'shadow_prefix', 'max_buckets:number', 'retention_ms:number', 'session_prefix', 'stream_max_length', 'stream_max_age_ms'],
      null,
    );
  });

  it("sends the shard's registry and stream, the prefixes and the limits by name, for no session", async () => {
    const { run, calls } = capturing([0, 0, 0]);
    await sweepMinuteBuckets(run, fields);
    const call = onlyCall(calls, sweepMinuteBucketsScript);
    expect(call.keys).toEqual({ registry_key: 'ns:expirations', stream_key: 'ns:session-events' });
    expect(call.args).toEqual({
      bucket_prefix: 'ns:expirations:',
      shadow_prefix: 'ns:sessions:expires:',
      max_buckets: 100,
      retention_ms: 300_000,
      session_prefix: 'ns:sessions:',
      stream_max_length: 10_000,
      stream_max_age_ms: 86_400_000,
    });
    expect(call.sessionId).toBeUndefined();
  });

  it('reads the reply as touched, looked and waiting', async () => {
    expect(await sweepMinuteBuckets(capturing([3, 2, 1]).run, fields)).toEqual({ touched: 3, looked: 2, waiting: 1 });
  });
});
