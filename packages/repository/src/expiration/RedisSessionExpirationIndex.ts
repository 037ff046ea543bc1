import type { RedisConnection } from '../redis/clients/RedisConnection.js';

/** The expiration index's part of a save: keys 7–9 and arguments 7–9 of the save script, and its kind. */
export interface ExpirationIndexSaveArguments {
  readonly keys: readonly [string, string, string];
  readonly args: readonly [string | number, string | number, string | number];
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
  /**
   * What a save files. `expiresAt`/`previousExpiresAt` are the session's expiry now and as
   * stored (`null`: never expires, or new); `placeholder` is a key to pass where none applies.
   */
  saveArguments(expiresAt: number | null, previousExpiresAt: number | null, placeholder: string): ExpirationIndexSaveArguments;
  /**
   * What a touch (a save that keeps the id, the principal and a positive timeout) refiles:
   * the sorted set's key and the new expiry score; `[]` when nothing changes (same minute
   * bucket); `null` when the session changes bucket, so the full save must refile it.
   */
  touchArguments(expiresAt: number, previousExpiresAt: number | null): readonly [key: string, score: number] | readonly [] | null;
  /** One sweep: touches every due shadow key and records the ends; resolves with how many. */
  sweep(connection: RedisConnection, streamMaxLength: number): Promise<SweepResult>;
}

/** What a sweep did, and when the next one is worth running. */
export interface SweepResult {
  /** Due shadow keys touched (each session end recorded once, by this sweep or earlier). */
  readonly touched: number;
  /** Milliseconds until the earliest deadline still filed, by Redis's clock; `null` when unknown or none. */
  readonly nextDeadlineInMs: number | null;
}
