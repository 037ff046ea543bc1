// `lapse demo` end to end, as the README's first command runs it: no Redis given, so it starts
// its own, plays the story, reports every expected event, and leaves nothing running.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { lapse } from './support/lapse.js';

/** Whether something accepts connections on `port` (resolves false on ECONNREFUSED). */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('lapse demo', () => {
  it('starts a throwaway Redis, receives every expected event, ends within 30 s, stops its Redis, exit 0', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await lapse(['demo'], { env: { REDIS_URL: undefined }, timeoutMs: 40_000 });
    const elapsed = Date.now() - started;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Kept: a bounded-failure check, not a speed claim. The demo gives up (exit 1) at its own
    // limit (DEMO_TOTAL_LIMIT_MS, 26 s) instead of waiting for a missing event forever; the
    // README promises it ends within 30 s whatever happens.
    expect(elapsed).toBeLessThan(30_000);

    const ready = /^ +\+\d+\.\d\ds {2}Redis ready at redis:\/\/([\d.]+):(\d+) \((a redis-server on a free port|a redis container), stopped at the end\), client (ioredis|node-redis)$/m.exec(stdout);
    expect(ready).not.toBeNull();
    for (const [word, user] of [
      ['login', 'ada'],
      ['created', 'ada'],
      ['new id', 'ken'],
      ['active', 'grace'],
      ['logout', 'linus'],
      ['deleted', 'linus'],
      ['expired', 'ada'],
      ['expired', 'ken'],
      ['expired', 'edsger'],
    ]) {
      expect(stdout).toMatch(new RegExp(`^ +\\+\\d+\\.\\d\\ds {2}${word} +${user} +`, 'm'));
    }
    expect(stdout).toMatch(/^ +\+\d+\.\d\ds {2}deleted +linus +\S{8} {2}lag \d+ ms {2}(laptop|phone) {2}reason=logout$/m);
    expect(stdout).not.toMatch(/^(missing|unexpected):/m);
    expect(stdout).not.toContain('NOT EXPECTED');

    const summary = /^summary: (\d+) of (\d+) expected events received \((\d+)\/(\d+) created, (\d+)\/(\d+) deleted, (\d+)\/(\d+) expired\); expiry lag p50 (\d+) ms, max (\d+) ms$/m.exec(stdout);
    expect(summary).not.toBeNull();
    const [, received, expected, created, createdExpected, deleted, deletedExpected, expired, expiredExpected] = (summary ?? []).map(Number);
    expect(received).toBe(expected);
    expect([created, deleted, expired]).toEqual([7, 2, 5]);
    expect([createdExpected, deletedExpected, expiredExpected]).toEqual([7, 2, 5]);
    expect(stdout.trimEnd().split('\n').pop()).toBe(summary?.[0]);

    // Nothing left running: the Redis it started no longer accepts connections.
    expect(stdout).toMatch(/^ +\+\d+\.\d\ds {2}Redis stopped$/m);
    expect(await listening(ready?.[1] ?? '', Number(ready?.[2]))).toBe(false);
  }, 45_000);
});
