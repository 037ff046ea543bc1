// The bench's statistics and lag summary, without Redis.
import { describe, expect, it } from 'vitest';
import { lagSummary } from '../../src/lag-summary.js';
import { Samples, median, percentileOf } from '../../src/stats.js';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles, NaN when empty', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileOf(sorted, 50)).toBe(5);
    expect(percentileOf(sorted, 99)).toBe(10);
    expect(percentileOf(sorted, 0)).toBe(1);
    expect(percentileOf([], 50)).toBeNaN();
    expect(median([9, 1, 5])).toBe(5);
  });

  it('keeps samples past its first buffer and sorts them numerically', () => {
    const samples = new Samples();
    for (let i = 5000; i > 0; i--) samples.push(i / 10);
    expect(samples.length).toBe(5000);
    expect(samples.percentile(100)).toBe(500);
    expect(samples.percentile(50)).toBe(250);
    samples.push(1000);
    expect(samples.percentile(100)).toBe(1000);
  });

  it('counts a missed event as later than the cap in the lag percentiles', () => {
    const all = lagSummary({ lags: [1, 2, 3, 4], missed: 0, due: 4, capMs: 1000 });
    expect([all.p50, all.max, all.received]).toEqual([2, 4, 4]);
    const missing = lagSummary({ lags: [1, 2, 3], missed: 1, due: 4, capMs: 1000 });
    expect(missing.p99).toBe(Number.POSITIVE_INFINITY);
    expect(missing.p99Text.startsWith('> ')).toBe(true);
    expect(missing.max).toBe(Number.POSITIVE_INFINITY);
    expect(missing.p50).toBe(2);
  });
});
