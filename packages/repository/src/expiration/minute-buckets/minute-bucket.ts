/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;

/**
 * Spring's `roundUpToNextMinute`: the bucket that holds an expiry at `expiresAt` (epoch ms).
 * Bucket `B` holds expiries in `[B - 60 s, B)`; an expiry exactly on a boundary goes to the
 * next minute (`docs/spring-session.md` §2.7).
 */
export function bucketMinuteOf(expiresAt: number): number {
  return Math.floor(expiresAt / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
}

/** How long past its minute a bucket that was never swept is kept (so a long outage still gets swept). */
export const BUCKET_RETENTION_MS = 24 * 60 * 60 * 1000;
