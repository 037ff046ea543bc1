import type { SessionKeys } from '../../keys/SessionKeys.js';
import type { SessionKeyspace } from '../../keys/SessionKeyspace.js';
import { sweepMinuteBuckets } from './sweep-minute-buckets.js';
import type { RedisCalls } from '../../redis/RedisCalls.js';
import type { ResolvedRepositoryOptions } from '../../RepositoryOptions.js';
import { eventStreamRetention } from '../../resolveRepositoryOptions.js';
import { CleanupSchedule } from '../CleanupSchedule.js';
import { scheduledSweep, sweepEveryShard, type EventStreamRetention, type ExpirationIndexFiling, type ExpirationStrategy, type SweepResult } from '../ExpirationStrategy.js';
import { BUCKET_RETENTION_MS, bucketMinuteOf } from './minute-bucket.js';

/** How many buckets one sweep script takes before yielding to other Redis clients. */
const BUCKETS_PER_SWEEP_CALL = 16;

/**
 * Spring's minute-bucket expiration index (`MinuteBasedRedisSessionExpirationStore`): each
 * session is a member `expires:<id>` of the set for the minute after its expiry; a registry
 * sorted set lists the minutes that hold sessions, so the sweep finds every due bucket. Swept on
 * the `cleanupCron` schedule (none when it is `null`).
 */
export class MinuteBucketExpiration implements ExpirationStrategy {
  readonly kind = 'm';
  /** The cron sweeps whatever is due: no deadline to hear of. */
  readonly deadlineSweeper = null;
  readonly #retention: EventStreamRetention;
  #schedule: CleanupSchedule | null;

  /** Throws `InvalidArgumentError` for a `cleanupCron` node-cron rejects. */
  constructor(
    private readonly keyspace: SessionKeyspace,
    private readonly calls: RedisCalls,
    options: Readonly<ResolvedRepositoryOptions>,
  ) {
    this.#retention = eventStreamRetention(options);
    const { cleanupCron } = options;
    this.#schedule = cleanupCron === null ? null : new CleanupSchedule(cleanupCron, scheduledSweep(calls, () => this.sweep()), options.onCleanupError);
  }

  reference(shard: SessionKeys): string {
    return shard.bucketKeyPrefix;
  }

  filing(shard: SessionKeys): ExpirationIndexFiling {
    return { key: shard.bucketRegistryKey, prefix: shard.bucketKeyPrefix, score: null };
  }

  touchArguments(_shard: SessionKeys, expiresAt: number, previousExpiresAt: number | null): readonly [] | null {
    return previousExpiresAt !== null && bucketMinuteOf(expiresAt) === bucketMinuteOf(previousExpiresAt) ? [] : null;
  }

  sweep(): Promise<SweepResult> {
    return sweepEveryShard(this.keyspace.shards, (shard) => this.#sweepShard(shard));
  }

  async stop(): Promise<void> {
    const schedule = this.#schedule;
    this.#schedule = null;
    await schedule?.stop();
  }

  /**
   * Touches every due shadow key of one shard (atomically, once across all instances) so Redis
   * expires it now; returns how many due keys it touched. Buckets of minutes that have begun are
   * read in calls of {@link BUCKETS_PER_SWEEP_CALL}; buckets still holding sessions that are not
   * due stay registered, and the loop stops when a call finds only those.
   */
  async #sweepShard(keys: SessionKeys): Promise<SweepResult> {
    let touched = 0;
    for (;;) {
      const { touched: due, looked, waiting } = await sweepMinuteBuckets(this.calls.runScript, {
        bucketRegistryKey: keys.bucketRegistryKey,
        eventStreamKey: keys.eventStreamKey,
        bucketKeyPrefix: keys.bucketKeyPrefix,
        shadowKeyPrefix: keys.shadowKeyPrefix,
        sessionKeyPrefix: keys.sessionKeyPrefix,
        maxBuckets: BUCKETS_PER_SWEEP_CALL,
        bucketRetentionMs: BUCKET_RETENTION_MS,
        streamMaxLength: this.#retention.maxLength,
        streamMaxAgeMs: this.#retention.maxAgeMs,
      });
      touched += due;
      if (looked < BUCKETS_PER_SWEEP_CALL || waiting === looked) return { touched, nextDeadlineInMs: null };
    }
  }
}
