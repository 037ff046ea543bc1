import type { ScriptRunner } from '../redis/LuaScript.js';
import type { SessionKeys } from '../keys/SessionKeys.js';
import { sweepSortedSet } from '../redis/scripts/sweep-sorted-set.js';
import type { ExpirationIndexFiling, RedisSessionExpirationIndex, SweepResult } from './RedisSessionExpirationIndex.js';

/** How many due entries one sweep script takes before yielding to other Redis clients. */
const ENTRIES_PER_SWEEP_CALL = 1000;

/**
 * The sorted-set expiration index: one sorted set `<ns>:sessions:expirations` (Spring's
 * `SortedSetRedisSessionExpirationStore` key), member = session id, score = expiry in ms.
 * With the deadline-driven sweeper a session's end is recorded within milliseconds of its
 * expiry, and a sweep costs in proportion to the due sessions, not the live ones.
 */
export class SortedSetExpirationIndex implements RedisSessionExpirationIndex {
  readonly kind = 'z';
  readonly reference: string;

  constructor(private readonly keys: SessionKeys) {
    this.reference = keys.expirationSortedSetKey;
  }

  filing(expiresAt: number | null): ExpirationIndexFiling {
    const key = this.keys.expirationSortedSetKey;
    return { key, prefix: key, score: expiresAt };
  }

  touchArguments(expiresAt: number): readonly [key: string, score: number] {
    return [this.keys.expirationSortedSetKey, expiresAt];
  }

  async sweep(run: ScriptRunner, streamMaxLength: number): Promise<SweepResult> {
    let touched = 0;
    for (;;) {
      const { touched: due, taken, nextDeadline, now } = await sweepSortedSet(run, {
        sortedSetKey: this.keys.expirationSortedSetKey,
        eventStreamKey: this.keys.eventStreamKey,
        shadowKeyPrefix: this.keys.shadowKeyPrefix,
        sessionKeyPrefix: this.keys.sessionKeyPrefix,
        maxEntries: ENTRIES_PER_SWEEP_CALL,
        streamMaxLength,
      });
      touched += due;
      if (taken < ENTRIES_PER_SWEEP_CALL) {
        return { touched, nextDeadlineInMs: nextDeadline === null ? null : Math.max(0, nextDeadline - now) };
      }
    }
  }
}
