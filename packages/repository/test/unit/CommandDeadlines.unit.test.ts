// commandTimeoutMs without Redis: one timer serves every call in flight (fake timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CallFailures, CommandDeadlines } from '../../src/redis/RedisCalls.js';

class TimedOut extends Error {}
class Failed extends Error {}

const failures: CallFailures = {
  timeout: (command, sessionId) => new TimedOut(`${command} ${sessionId ?? '-'} timed out`),
  commandError: (command, _sessionId, error) => new Failed(`${command}: ${(error as Error).message}`),
};

/** A promise and the functions that settle it. */
function pending<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CommandDeadlines', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves with the reply when it comes before the deadline', async () => {
    const deadlines = new CommandDeadlines(100);
    const sent = pending<string>();
    const call = deadlines.run(sent.promise, 'HGETALL', 'id1', failures);
    await vi.advanceTimersByTimeAsync(99);
    sent.resolve('OK');
    await expect(call).resolves.toBe('OK');
    // Its deadline passing later changes nothing.
    await vi.advanceTimersByTimeAsync(10);
    await expect(call).resolves.toBe('OK');
  });

  it('rejects with the timeout error at the deadline and ignores a late reply', async () => {
    const deadlines = new CommandDeadlines(100);
    const sent = pending<string>();
    const call = deadlines.run(sent.promise, 'EVALSHA save', 'id1', failures);
    const settled = expect(call).rejects.toThrow(new TimedOut('EVALSHA save id1 timed out'));
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    sent.resolve('late');
    await vi.advanceTimersByTimeAsync(1);
  });

  it("wraps a failed command's error with its command", async () => {
    const deadlines = new CommandDeadlines(100);
    const sent = pending<string>();
    const call = deadlines.run(sent.promise, 'EXISTS', undefined, failures);
    sent.reject(new Error('WRONGTYPE'));
    await expect(call).rejects.toThrow(new Failed('EXISTS: WRONGTYPE'));
  });

  it('times calls out in the order they started, each at its own deadline, with one timer', async () => {
    const deadlines = new CommandDeadlines(100);
    const outcomes: string[] = [];
    const first = deadlines.run(pending<string>().promise, 'A', undefined, failures).catch(() => outcomes.push('A'));
    await vi.advanceTimersByTimeAsync(40);
    const second = deadlines.run(pending<string>().promise, 'B', undefined, failures).catch(() => outcomes.push('B'));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(60);
    await first;
    expect(outcomes).toEqual(['A']);
    await vi.advanceTimersByTimeAsync(39);
    expect(outcomes).toEqual(['A']);
    await vi.advanceTimersByTimeAsync(1);
    await second;
    expect(outcomes).toEqual(['A', 'B']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
