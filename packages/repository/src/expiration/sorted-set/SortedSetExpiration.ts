import type { SessionKeys } from '../../keys/SessionKeys.js';
import type { SessionKeyspace } from '../../keys/SessionKeyspace.js';
import { sweepSortedSet } from './sweep-sorted-set.js';
import type { RedisCalls } from '../../redis/RedisCalls.js';
import type { ResolvedRepositoryOptions } from '../../RepositoryOptions.js';
import { eventStreamRetention } from '../../resolveRepositoryOptions.js';
import { scheduledSweep, sweepEveryShard, type EventStreamRetention, type ExpirationIndexFiling, type ExpirationStrategy, type SweepResult } from '../ExpirationStrategy.js';
import { DeadlineSweeper } from './DeadlineSweeper.js';

/** How many due entries one sweep script takes before yielding to other Redis clients. */
const ENTRIES_PER_SWEEP_CALL = 1000;

/**
 * The sorted-set expiration index: one sorted set `<ns>:sessions:expirations` (Spring's
 * `SortedSetRedisSessionExpirationStore` key), member = session id, score = expiry in ms.
 * With the deadline-driven sweeper (`cleanupCron` not `null`) a session's end is recorded within
 * milliseconds of its expiry, and a sweep costs in proportion to the due sessions, not the live ones.
 */
export class SortedSetExpiration implements ExpirationStrategy {
  readonly kind = 'z';
  /** Woken by the deadlines saves file; `null` without a `cleanupCron`. */
  readonly deadlineSweeper: DeadlineSweeper | null;
  readonly #retention: EventStreamRetention;

  constructor(
    private readonly keyspace: SessionKeyspace,
    private readonly calls: RedisCalls,
    options: Readonly<ResolvedRepositoryOptions>,
  ) {
    this.#retention = eventStreamRetention(options);
    this.deadlineSweeper =
      options.cleanupCron === null ? null : new DeadlineSweeper(scheduledSweep(calls, () => this.sweep()), options.maxSweepIntervalMs, options.onCleanupError);
  }

  reference(shard: SessionKeys): string {
    return shard.expirationSortedSetKey;
  }

  filing(shard: SessionKeys, expiresAt: number | null): ExpirationIndexFiling {
    const key = shard.expirationSortedSetKey;
    return { key, prefix: key, score: expiresAt };
  }

  touchArguments(shard: SessionKeys, expiresAt: number): readonly [key: string, score: number] {
    return [shard.expirationSortedSetKey, expiresAt];
  }

  sweep(): Promise<SweepResult> {
    return sweepEveryShard(this.keyspace.shards, (shard) => this.#sweepShard(shard));
  }

  async stop(): Promise<void> {
    await this.deadlineSweeper?.stop();
  }

  async #sweepShard(keys: SessionKeys): Promise<SweepResult> {
    let touched = 0;
    for (;;) {
      const { touched: due, taken, nextDeadline, now } = await sweepSortedSet(this.calls.runScript, {
        sortedSetKey: keys.expirationSortedSetKey,
        eventStreamKey: keys.eventStreamKey,
        shadowKeyPrefix: keys.shadowKeyPrefix,
        sessionKeyPrefix: keys.sessionKeyPrefix,
        maxEntries: ENTRIES_PER_SWEEP_CALL,
        streamMaxLength: this.#retention.maxLength,
        streamMaxAgeMs: this.#retention.maxAgeMs,
      });
      touched += due;
      if (taken < ENTRIES_PER_SWEEP_CALL) {
        return { touched, nextDeadlineInMs: nextDeadline === null ? null : Math.max(0, nextDeadline - now) };
      }
    }
  }
}
