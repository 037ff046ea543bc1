// The sorted-set index's sweeper without Redis: when it sweeps, given what each sweep reports.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineSweeper } from '../../src/expiration/sorted-set/DeadlineSweeper.js';
import type { SweepResult } from '../../src/expiration/ExpirationStrategy.js';

/** A sweep that records when it ran (fake time) and reports `next` as the next deadline. */
function recordingSweep(next: () => number | null): { sweep: () => Promise<SweepResult>; runs: number[] } {
  const runs: number[] = [];
  const sweep = async (): Promise<SweepResult> => {
    runs.push(Date.now());
    return { touched: 0, nextDeadlineInMs: next() };
  };
  return { sweep, runs };
}

describe('DeadlineSweeper', () => {
  let sweeper: DeadlineSweeper | undefined;
  beforeEach(() => vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] }));
  afterEach(async () => {
    await sweeper?.stop();
    vi.useRealTimers();
  });

  it('sweeps at once, then no later than maxIntervalMs when nothing is filed', async () => {
    const { sweep, runs } = recordingSweep(() => null);
    sweeper = new DeadlineSweeper(sweep, 1000, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([0]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toEqual([0, 1000, 2000]);
  });

  it('sleeps until 1 ms after the earliest deadline a sweep reports', async () => {
    const { sweep, runs } = recordingSweep(() => 250);
    sweeper = new DeadlineSweeper(sweep, 1000, () => undefined);
    await vi.advanceTimersByTimeAsync(600);
    expect(runs).toEqual([0, 251, 502]);
  });

  it('wakes sooner for a deadline filed after it fell asleep, never later', async () => {
    const { sweep, runs } = recordingSweep(() => null);
    sweeper = new DeadlineSweeper(sweep, 1000, () => undefined);
    await vi.advanceTimersByTimeAsync(100);
    sweeper.deadlineIn(50);
    sweeper.deadlineIn(5000); // a later deadline does not push the wake-up back
    await vi.advanceTimersByTimeAsync(60);
    expect(runs).toEqual([0, 151]);
  });

  it('reports a failed sweep and keeps sweeping', async () => {
    const errors: Error[] = [];
    let calls = 0;
    sweeper = new DeadlineSweeper(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('NOSCRIPT');
        return { touched: 0, nextDeadlineInMs: null };
      },
      1000,
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors.map((e) => e.message)).toEqual(['NOSCRIPT']);
    expect(calls).toBe(2);
  });

  it('runs nothing after stop()', async () => {
    const { sweep, runs } = recordingSweep(() => 10);
    sweeper = new DeadlineSweeper(sweep, 1000, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    await sweeper.stop();
    sweeper.deadlineIn(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
