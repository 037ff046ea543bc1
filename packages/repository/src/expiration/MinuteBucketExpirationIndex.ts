import type { ScriptRunner } from '../redis/LuaScript.js';
import type { SessionKeys } from '../keys/SessionKeys.js';
import { sweepMinuteBuckets } from '../redis/scripts/sweep-minute-buckets.js';
import { bucketMinuteOf } from './minute-bucket.js';
import type { ExpirationIndexFiling, RedisSessionExpirationIndex, SweepResult } from './RedisSessionExpirationIndex.js';

/** How long past its minute a bucket that was never swept is kept (so a long outage still gets swept). */
export const BUCKET_RETENTION_MS = 24 * 60 * 60 * 1000;

/** How many buckets one sweep script takes before yielding to other Redis clients. */
const BUCKETS_PER_SWEEP_CALL = 16;

/**
 * Spring's minute-bucket expiration index (`MinuteBasedRedisSessionExpirationStore`): each
 * session is a member `expires:<id>` of the set for the minute after its expiry; a registry
 * sorted set lists the minutes that hold sessions, so the sweep finds every due bucket.
 */
export class MinuteBucketExpirationIndex implements RedisSessionExpirationIndex {
  readonly kind = 'm';
  readonly reference: string;

  constructor(private readonly keys: SessionKeys) {
    this.reference = keys.bucketKeyPrefix;
  }

  filing(): ExpirationIndexFiling {
    return { key: this.keys.bucketRegistryKey, prefix: this.keys.bucketKeyPrefix, score: null };
  }

  touchArguments(expiresAt: number, previousExpiresAt: number | null): readonly [] | null {
    return previousExpiresAt !== null && bucketMinuteOf(expiresAt) === bucketMinuteOf(previousExpiresAt) ? [] : null;
  }

  /**
   * Touches every due shadow key (atomically, once across all instances) so Redis expires it
   * now; returns how many due keys it touched. Buckets of minutes that have begun are read in
   * calls of {@link BUCKETS_PER_SWEEP_CALL}; buckets still holding sessions that are not due
   * stay registered, and the loop stops when a call finds only those.
   */
  async sweep(run: ScriptRunner, streamMaxLength: number): Promise<SweepResult> {
    let touched = 0;
    for (;;) {
      const { touched: due, looked, waiting } = await sweepMinuteBuckets(run, {
        bucketRegistryKey: this.keys.bucketRegistryKey,
        eventStreamKey: this.keys.eventStreamKey,
        bucketKeyPrefix: this.keys.bucketKeyPrefix,
        shadowKeyPrefix: this.keys.shadowKeyPrefix,
        sessionKeyPrefix: this.keys.sessionKeyPrefix,
        maxBuckets: BUCKETS_PER_SWEEP_CALL,
        bucketRetentionMs: BUCKET_RETENTION_MS,
        streamMaxLength,
      });
      touched += due;
      if (looked < BUCKETS_PER_SWEEP_CALL || waiting === looked) return { touched, nextDeadlineInMs: null };
    }
  }
}
