import type { ScriptRunner } from '../redis/LuaScript.js';

/** Where a save files a session in the expiration index (see `save-session`). */
export interface ExpirationIndexFiling {
  /** The bucket or sorted set the session goes into; `null` when it is not filed (never expires). */
  readonly newKey: string | null;
  /** The bucket it was in (minute buckets; `null`: none); the sorted set otherwise. */
  readonly oldKey: string | null;
  /** The bucket registry (minute buckets), or the sorted set. */
  readonly registryKey: string;
  /** The new bucket's minute, or the expiry in ms for the sorted set; `null`: not filed. */
  readonly newPlacement: number | null;
  /** The old bucket's minute; `null`: none (and always with the sorted set). */
  readonly oldPlacement: number | null;
  /** When the new bucket key expires (epoch ms); 0 when none. */
  readonly expireAt: number;
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
   * stored (`null`: never expires, or new).
   */
  filing(expiresAt: number | null, previousExpiresAt: number | null): ExpirationIndexFiling;
  /**
   * What a touch (a save that keeps the id, the principal and a positive timeout) refiles:
   * the sorted set's key and the new expiry score; `[]` when nothing changes (same minute
   * bucket); `null` when the session changes bucket, so the full save must refile it.
   */
  touchArguments(expiresAt: number, previousExpiresAt: number | null): readonly [key: string, score: number] | readonly [] | null;
  /** One sweep: touches every due shadow key, records the ends and trims the event stream by age; resolves with how many. */
  sweep(run: ScriptRunner, retention: EventStreamRetention): Promise<SweepResult>;
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
