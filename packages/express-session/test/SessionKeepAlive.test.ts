// SessionKeepAlive on a real Redis: refreshes on the session's own clock (a share of its timeout,
// read from the stored session), renews the stored cookie, never recreates an ended session,
// reports errors instead of throwing.
import { InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import type { SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LapseStore, SessionKeepAlive } from '../src/index.js';
import { serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
const SID = 'keepalive'.padEnd(32, 'k');

let client: Redis;
let repository: RedisIndexedSessionRepository;
let now: number;
const clock = (): number => now;

beforeEach(async () => {
  client = redis.client();
  // The app clock is the test's, for the repository as for the keep-alive.
  repository = new RedisIndexedSessionRepository(client, { ...serializerOptions(), namespace: uniqueNamespace('keepalive'), cleanupCron: null, clock });
  now = Date.now();
  const cookie = { originalMaxAge: 600_000, expires: new Date(now + 600_000).toISOString(), httpOnly: true, path: '/' };
  await new LapseStore({ repository }).set(SID, { cookie, user: 'ada' } as unknown as SessionData);
  const session = await repository.findById(SID);
  if (session === null) throw new Error('missing');
  session.maxInactiveInterval = 600;
  session.lastAccessedTime = now - 300_000; // idle for 5 minutes
  await repository.save(session);
});
afterEach(async () => {
  await repository.close();
});

describe('SessionKeepAlive', () => {
  it('refreshes lastAccessedTime and the stored cookie at most once per interval', async () => {
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 10_000, clock });
    now += 1;
    expect(await keepAlive.touch()).toBe(true);
    const first = await repository.findById(SID);
    expect(first?.lastAccessedTime).toBe(now);
    // The store keeps the cookie's expiry as lastAccessedTime + originalMaxAge: it moved along.
    expect((await new LapseStore({ repository }).get(SID))?.cookie.expires).toBe(new Date(now + 600_000).toISOString());
    expect(first?.getAttribute('user')).toBe('ada');
    const refreshedAt = now;

    now += 9_999;
    expect(await keepAlive.touch()).toBe(false);
    expect((await repository.findById(SID))?.lastAccessedTime).toBe(refreshedAt);

    now += 1;
    expect(await keepAlive.touch()).toBe(true);
    expect((await repository.findById(SID))?.lastAccessedTime).toBe(now);
    expect(await client.pttl(repository.keys.shadowKey(SID))).toBeGreaterThan(590_000);
  });

  it('runs one refresh at a time however many touches arrive together', async () => {
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 0, clock });
    const results = await Promise.all([keepAlive.touch(), keepAlive.touch(), keepAlive.touch()]);
    expect(results).toEqual([true, false, false]);
  });

  it('stops once the session is gone, and never recreates it', async () => {
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 0, clock });
    await repository.deleteById(SID);
    expect(await keepAlive.touch()).toBe(false);
    expect(keepAlive.stopped).toBe(true);
    expect(await repository.findById(SID)).toBeNull();
  });

  it('does nothing after stop()', async () => {
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 0, clock });
    keepAlive.stop();
    expect(await keepAlive.touch()).toBe(false);
    expect((await repository.findById(SID))?.lastAccessedTime).toBe(now - 300_000);
  });

  it('reports a failed refresh to onError, resolves false, and retries at the next touch', async () => {
    const errors: Error[] = [];
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 60_000, clock, onError: (error) => errors.push(error) });
    const hash = repository.keys.sessionKey(SID);
    const saved = await client.dumpBuffer(hash);
    await client.del(hash);
    await client.set(hash, 'not a hash');
    expect(await keepAlive.touch()).toBe(false);
    expect(errors).toHaveLength(1);
    await client.del(hash);
    await client.restore(hash, 0, saved);
    expect(await keepAlive.touch()).toBe(true);
  });

  it('refuses options it cannot use', () => {
    expect(() => new SessionKeepAlive({ repository, sessionId: '' })).toThrow(InvalidArgumentError);
    expect(() => new SessionKeepAlive({ repository, sessionId: SID, intervalMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new SessionKeepAlive({ repository, sessionId: SID, refreshFraction: 0 })).toThrow(InvalidArgumentError);
    expect(() => new SessionKeepAlive({ repository, sessionId: SID, refreshFraction: 1 })).toThrow(InvalidArgumentError);
  });

  it('calls onGone once when a refresh finds the session gone, not after stop()', async () => {
    let gone = 0;
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 0, clock, onGone: () => gone++ });
    expect(await keepAlive.touch()).toBe(true);
    await repository.deleteById(SID);
    expect(await keepAlive.touch()).toBe(false);
    expect(await keepAlive.touch()).toBe(false);
    expect(gone).toBe(1);

    const stopped = new SessionKeepAlive({ repository, sessionId: SID, intervalMs: 0, clock, onGone: () => gone++ });
    stopped.stop();
    expect(await stopped.touch()).toBe(false);
    expect(gone).toBe(1);
  });
});

describe('SessionKeepAlive on the session\'s own clock', () => {
  /** The repository, counting the saves (each one write to Redis: one EVALSHA). */
  function counting(): { repository: Pick<RedisIndexedSessionRepository, 'findById' | 'save'>; readonly saves: number } {
    let saves = 0;
    return {
      repository: { findById: (id) => repository.findById(id), save: (session) => (saves++, repository.save(session)) },
      get saves() {
        return saves;
      },
    };
  }

  /** Sets the test session's timeout, last used now. */
  async function withTimeout(seconds: number): Promise<void> {
    const session = await repository.findById(SID);
    if (session === null) throw new Error('missing');
    session.maxInactiveInterval = seconds;
    session.lastAccessedTime = now;
    await repository.save(session);
  }

  /** The stored session's deadline (epoch ms by the app clock). */
  async function deadline(): Promise<number> {
    const session = await repository.findById(SID);
    if (session === null) throw new Error(`session gone at ${now}`);
    return session.lastAccessedTime + session.maxInactiveInterval * 1000;
  }

  /**
   * A message every `everyMs` of app clock for `forMs`: checks before each that the session is
   * still live by its stored deadline, and returns how many touches there were and when the last was.
   */
  async function messages(keepAlive: SessionKeepAlive, everyMs: number, forMs: number): Promise<{ touches: number; last: number }> {
    const end = now + forMs;
    let touches = 0;
    while (now + everyMs <= end) {
      now += everyMs;
      expect(await deadline()).toBeGreaterThan(now);
      await keepAlive.touch();
      touches++;
    }
    return { touches, last: now };
  }

  it('a 2-second session stays alive while a message comes every 500 ms, with far fewer writes than messages', async () => {
    await withTimeout(2);
    const counted = counting();
    const keepAlive = new SessionKeepAlive({ repository: counted.repository, sessionId: SID, clock });
    const { touches, last } = await messages(keepAlive, 500, 6_000);
    expect(touches).toBe(12);
    expect(keepAlive.refreshAfterMs).toBeCloseTo(2000 / 3);
    // The first message, then every other one (1 s apart, the first 667 ms past the last refresh): 6 of 12.
    expect(counted.saves).toBe(6);
    // Once the messages stop the session ends on time: 2 s after the last refresh (the last message but one).
    expect(await deadline()).toBe(last - 500 + 2_000);
    expect(await client.exists(repository.keys.shadowKey(SID))).toBe(1);
  });

  it('a 30-minute session stays alive while a message comes every minute, written every 10 minutes', async () => {
    await withTimeout(1800);
    const counted = counting();
    const keepAlive = new SessionKeepAlive({ repository: counted.repository, sessionId: SID, clock });
    const { touches, last } = await messages(keepAlive, 60_000, 2 * 3_600_000);
    expect(touches).toBe(120);
    expect(keepAlive.refreshAfterMs).toBe(600_000);
    // The first message, then every tenth: 12 writes for 120 messages.
    expect(counted.saves).toBe(12);
    const lastRefresh = last - 9 * 60_000;
    expect(await deadline()).toBe(lastRefresh + 1_800_000);
    // After the messages stop nothing moves the deadline: it stays 30 minutes after the last refresh.
    now = lastRefresh + 1_799_999;
    expect(await deadline()).toBe(lastRefresh + 1_800_000);
  });

  it('follows a timeout changed since the last refresh (read from the stored session)', async () => {
    await withTimeout(1800);
    const keepAlive = new SessionKeepAlive({ repository, sessionId: SID, clock });
    expect(await keepAlive.touch()).toBe(true);
    expect(keepAlive.refreshAfterMs).toBe(600_000);
    now += 600_000;
    await withTimeout(3);
    expect(await keepAlive.touch()).toBe(true);
    expect(keepAlive.refreshAfterMs).toBe(1000);
    now += 999;
    expect(await keepAlive.touch()).toBe(false);
    now += 1;
    expect(await keepAlive.touch()).toBe(true);
  });

  it('the deprecated intervalMs only caps the time between refreshes, it never delays one', async () => {
    await withTimeout(2);
    const counted = counting();
    const keepAlive = new SessionKeepAlive({ repository: counted.repository, sessionId: SID, intervalMs: 60_000, clock });
    await messages(keepAlive, 500, 6_000);
    expect(keepAlive.refreshAfterMs).toBeCloseTo(2000 / 3);
    expect(counted.saves).toBe(6);
  });
});
