import type { SessionKeys } from '../keys/SessionKeys.js';
import type { RedisCalls } from '../redis/RedisCalls.js';

/**
 * Where a save files a session in the expiration index (see `save-session`): the scripts
 * compute a minute bucket themselves, from the times the stored hash holds.
 */
export interface ExpirationIndexFiling {
  /** The sorted set, or the bucket registry (minute buckets). */
  readonly key: string;
  /** The bucket key prefix (minute buckets; the sorted set's key otherwise). */
  readonly prefix: string;
  /** Sorted set: the expiry in ms, `null` when the session is not filed (never expires); minute buckets: `null`. */
  readonly score: number | null;
}

/** What wants to hear of every deadline a write files (the sorted set's deadline sweeper). */
export interface DeadlineListener {
  /** A write filed a session whose shadow key expires in `inMs`. */
  deadlineIn(inMs: number): void;
}

/**
 * How a repository files sessions by expiry so the sweep finds the due ones, and what runs that
 * sweep (Spring's `RedisSessionExpirationStore` role), on every shard of the keyspace:
 * `MinuteBucketExpiration` (Spring's default layout, swept on `cleanupCron`) or
 * `SortedSetExpiration` (one sorted set, swept by a deadline-driven sweeper).
 */
export interface ExpirationStrategy {
  /** How the Lua scripts unfile a session (`leave_index`): `'m'` minute buckets, `'z'` sorted set. */
  readonly kind: 'm' | 'z';
  /** What a save tells of the deadline it filed, after Redis answered; `null` when nothing waits for deadlines. */
  readonly deadlineSweeper: DeadlineListener | null;
  /** The reference the scripts unfile a session of `shard` with: the bucket key prefix, or the sorted set's key. */
  reference(shard: SessionKeys): string;
  /** What a save files; `expiresAt` is the session's expiry (`null`: never expires). */
  filing(shard: SessionKeys, expiresAt: number | null): ExpirationIndexFiling;
  /**
   * What a touch (a save that keeps the id, the principal and a positive timeout) refiles:
   * the sorted set's key and the new expiry score; `[]` when nothing changes (same minute
   * bucket, which the touch script checks against what Redis holds); `null` when the session
   * changes bucket, so the full save must refile it.
   */
  touchArguments(shard: SessionKeys, expiresAt: number, previousExpiresAt: number | null): readonly [key: string, score: number] | readonly [] | null;
  /** One sweep of every shard: touches every due shadow key, records the ends and trims the event stream by age. */
  sweep(): Promise<SweepResult>;
  /** Stops the schedule or the sweeper. */
  stop(): Promise<void>;
}

/** How much of the event stream is kept: about `maxLength` records, none older than `maxAgeMs` (by Redis's clock). */
export interface EventStreamRetention {
  readonly maxLength: number;
  readonly maxAgeMs: number;
}

/** What a sweep did, and when the next one is worth running. */
export interface SweepResult {
  /** Due shadow keys touched (each session end recorded once, by this sweep or earlier). */
  readonly touched: number;
  /** Milliseconds until the earliest deadline still filed, by Redis's clock; `null` when unknown or none. */
  readonly nextDeadlineInMs: number | null;
}

/** A scheduled sweep that sent nothing (the client is closed). */
const NOTHING_SWEPT: SweepResult = Object.freeze({ touched: 0, nextDeadlineInMs: null });

/** Sweeps every shard at once; the next deadline is the earliest of them. */
export async function sweepEveryShard(shards: readonly SessionKeys[], sweepShard: (shard: SessionKeys) => Promise<SweepResult>): Promise<SweepResult> {
  const results = await Promise.all(shards.map(sweepShard));
  const deadlines = results.map((r) => r.nextDeadlineInMs).filter((d): d is number => d !== null);
  return {
    touched: results.reduce((sum, r) => sum + r.touched, 0),
    nextDeadlineInMs: deadlines.length === 0 ? null : Math.min(...deadlines),
  };
}

/**
 * The sweep a schedule runs. A client the application has closed is left alone (no command, no
 * error to report): the schedule runs on (its timer keeps no process alive) and sweeps again
 * once it is open.
 */
export function scheduledSweep(calls: RedisCalls, sweep: () => Promise<SweepResult>): () => Promise<SweepResult> {
  return () => (calls.connection.closed ? Promise.resolve(NOTHING_SWEPT) : sweep());
}
