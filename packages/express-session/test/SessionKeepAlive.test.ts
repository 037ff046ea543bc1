// SessionKeepAlive on a real Redis: refreshes at most once per interval, renews the stored
// cookie, never recreates an ended session, reports errors instead of throwing.
import { InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import type { SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LapseStore, SessionKeepAlive } from '../src/index.js';
import { uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
const SID = 'keepalive'.padEnd(32, 'k');

let client: Redis;
let repository: RedisIndexedSessionRepository;
let now: number;
const clock = (): number => now;

beforeEach(async () => {
  client = redis.client();
  repository = new RedisIndexedSessionRepository(client, { namespace: uniqueNamespace('keepalive'), cleanupCron: null });
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
  });
});
