import type { RedisConnection } from '../redis/clients/RedisConnection.js';
import type { SessionKeys } from '../keys/SessionKeys.js';
import { sweepSortedSetScript } from '../redis/scripts/sweep-sorted-set.js';
import type { ExpirationIndexSaveArguments, RedisSessionExpirationIndex, SweepResult } from './RedisSessionExpirationIndex.js';

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

  saveArguments(expiresAt: number | null): ExpirationIndexSaveArguments {
    const key = this.keys.expirationSortedSetKey;
    return { keys: [key, key, key], args: [expiresAt === null ? '' : expiresAt, '', 0] };
  }

  touchArguments(expiresAt: number): readonly [key: string, score: number] {
    return [this.keys.expirationSortedSetKey, expiresAt];
  }

  async sweep(connection: RedisConnection, streamMaxLength: number): Promise<SweepResult> {
    let touched = 0;
    for (;;) {
      const [due, taken, next, now] = (await sweepSortedSetScript.run(
        connection,
        [this.keys.expirationSortedSetKey, this.keys.eventStreamKey],
        [this.keys.shadowKeyPrefix, this.keys.sessionKeyPrefix, ENTRIES_PER_SWEEP_CALL, streamMaxLength],
      )) as [number, number, string, string];
      touched += due;
      if (taken < ENTRIES_PER_SWEEP_CALL) {
        const nextDeadline = Number(next);
        return { touched, nextDeadlineInMs: nextDeadline < 0 ? null : Math.max(0, nextDeadline - Number(now)) };
      }
    }
  }
}
