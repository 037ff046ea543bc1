import type { ScriptRunner } from '../redis/LuaScript.js';

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

/**
 * Where sessions are filed by expiry so the sweep finds the due ones (Spring's
 * `RedisSessionExpirationStore` role): {@link MinuteBucketExpirationIndex} (Spring's default
 * layout) or {@link SortedSetExpirationIndex}.
 */
export interface RedisSessionExpirationIndex {
  /** `'m'` or `'z'`: how the Lua scripts unfile a session (`leave_index`). */
  readonly kind: 'm' | 'z';
  /** The reference the scripts unfile with: the bucket key prefix, or the sorted set's key. */
  readonly reference: string;
  /** What a save files; `expiresAt` is the session's expiry (`null`: never expires). */
  filing(expiresAt: number | null): ExpirationIndexFiling;
  /**
   * What a touch (a save that keeps the id, the principal and a positive timeout) refiles:
   * the sorted set's key and the new expiry score; `[]` when nothing changes (same minute
   * bucket, which the touch script checks against what Redis holds); `null` when the session
   * changes bucket, so the full save must refile it.
   */
  touchArguments(expiresAt: number, previousExpiresAt: number | null): readonly [key: string, score: number] | readonly [] | null;
  /** One sweep: touches every due shadow key and records the ends; resolves with how many. */
  sweep(run: ScriptRunner, streamMaxLength: number): Promise<SweepResult>;
}

/** What a sweep did, and when the next one is worth running. */
export interface SweepResult {
  /** Due shadow keys touched (each session end recorded once, by this sweep or earlier). */
  readonly touched: number;
  /** Milliseconds until the earliest deadline still filed, by Redis's clock; `null` when unknown or none. */
  readonly nextDeadlineInMs: number | null;
}
