// Spring's roundUpToNextMinute (docs/spring-session.md §2.7): bucket B holds deadlines in [B - 60 s, B).
import { describe, expect, it } from 'vitest';
import { MINUTE_MS, bucketMinuteOf } from '../../src/expiration/minute-buckets/minute-bucket.js';

describe('bucketMinuteOf', () => {
  const minute = 1_700_000_040_000; // a minute boundary

  it('files a deadline inside a minute under the next boundary', () => {
    expect(minute % MINUTE_MS).toBe(0);
    expect(bucketMinuteOf(minute + 1)).toBe(minute + MINUTE_MS);
    expect(bucketMinuteOf(minute + 59_999)).toBe(minute + MINUTE_MS);
  });

  it('files a deadline exactly on a boundary under the next minute, as Spring does', () => {
    expect(bucketMinuteOf(minute)).toBe(minute + MINUTE_MS);
  });

  it('agrees with the example of Spring: 10:30:30 goes to 10:31:00', () => {
    const at1030 = Date.UTC(2026, 0, 1, 10, 30, 30);
    expect(bucketMinuteOf(at1030)).toBe(Date.UTC(2026, 0, 1, 10, 31, 0));
  });
});
