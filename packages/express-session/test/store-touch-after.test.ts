// LapseStore's lazy touch (`touchAfter`, seconds, as connect-mongo names it), seen through
// MONITOR on the client LAPSE_CLIENT names, on an application clock the test moves: a touch
// within `touchAfter` of the last write sends nothing; the first after it writes; a `set`
// always writes; the stored expiry is never later than the cookie says, and at most
// `touchAfter` earlier.
import { LapseStore } from '@lapse/express-session';
import { InvalidArgumentError } from '@lapse/repository';
import type { SessionData } from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandMonitor } from '../../repository/test/support/CommandMonitor.js';
import { openTestClient, type TestClient } from '../../../integration-tests/test/support/storeClient.js';
import { serializerOptions, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { TEST_EXPIRATION_INDEX } from '../../repository/test/support/testRepository.js';

const redis = useRedis();
const MAX_AGE_MS = 3_600_000;
const SID = 'touch-after-session';
let opened: TestClient;
let monitor: CommandMonitor | undefined;
let store: LapseStore | undefined;
/** The application clock (epoch ms), moved by the tests. */
let now = 0;

beforeEach(async () => {
  opened = await openTestClient(redis.handle.url);
  now = Date.now();
});
afterEach(async () => {
  monitor?.stop();
  monitor = undefined;
  await store?.close();
  store = undefined;
  await opened.close();
});

async function open(touchAfter: number | undefined): Promise<LapseStore> {
  store = new LapseStore({
    client: opened.client as never,
    prefix: `${uniqueNamespace('lazy')}:`,
    ...(touchAfter === undefined ? {} : { touchAfter }),
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX, clock: () => now },
  });
  return store;
}

type Data = Record<string, unknown> & { cookie: { originalMaxAge: number; expires: string } };

/** Session data whose cookie (as express-session's `touch()` leaves it) expires `maxAgeMs` after the clock's now. */
function data(maxAgeMs = MAX_AGE_MS): SessionData {
  return { cookie: { originalMaxAge: maxAgeMs, expires: new Date(now + maxAgeMs).toISOString(), httpOnly: true, path: '/' }, user: 'ada' } as unknown as SessionData;
}

/** One read-only request at the clock's now: get, express-session's cookie touch, the store's touch. */
async function readRequest(lapse: LapseStore, maxAgeMs = MAX_AGE_MS): Promise<Data> {
  const read = (await lapse.get(SID)) as unknown as Data;
  expect(read.user).toBe('ada');
  read.cookie.originalMaxAge = maxAgeMs;
  read.cookie.expires = new Date(now + maxAgeMs).toISOString();
  await lapse.touch(SID, read as unknown as SessionData);
  return read;
}

/** The session's expiry as stored (lastAccessedTime + maxInactiveInterval), epoch ms. */
async function storedExpiry(lapse: LapseStore): Promise<number> {
  const session = await lapse.repository.findById(SID);
  if (session === null) throw new Error('session gone');
  return session.lastAccessedTime + session.maxInactiveInterval * 1000;
}

/** Command names; an EVAL right after an EVALSHA is its NOSCRIPT fallback (a script's first use on this Redis), the same call. */
const names = (commands: string[][]): string[] =>
  commands.map((c) => (c[0] ?? '').toUpperCase()).filter((name, i, all) => !(name === 'EVAL' && all[i - 1] === 'EVALSHA'));

describe('LapseStore touchAfter', () => {
  it('touchAfter 60: touches within 60 s of the last write send nothing; the first after 60 s writes; the expiry never passes the cookie', async () => {
    const lapse = await open(60);
    expect(lapse.touchAfter).toBe(60);
    const written = now;
    await lapse.set(SID, data());
    monitor = await CommandMonitor.watch(redis.client(), lapse.repository.connection);
    await monitor.take(lapse.repository.connection);

    for (const later of [1_000, 30_000, 59_999]) {
      now = written + later;
      const read = await readRequest(lapse);
      expect(names(await monitor.take(lapse.repository.connection))).toEqual(['HGETALL']);
      const expiry = await storedExpiry(lapse);
      expect(expiry).toBe(written + MAX_AGE_MS);
      expect(expiry).toBeLessThanOrEqual(Date.parse(read.cookie.expires));
      expect(expiry).toBeGreaterThan(Date.parse(read.cookie.expires) - 60_000);
      await monitor.take(lapse.repository.connection);
    }

    now = written + 60_000;
    await readRequest(lapse);
    expect(names(await monitor.take(lapse.repository.connection))).toEqual(['HGETALL', 'EVALSHA']);
    expect(await storedExpiry(lapse)).toBe(now + MAX_AGE_MS);
    await monitor.take(lapse.repository.connection);

    // The window starts again at that write.
    now += 30_000;
    await readRequest(lapse);
    expect(names(await monitor.take(lapse.repository.connection))).toEqual(['HGETALL']);
  });

  it('touchAfter 60: a set within the window still writes, and a touch whose cookie ends earlier writes', async () => {
    const lapse = await open(60);
    const written = now;
    await lapse.set(SID, data());
    monitor = await CommandMonitor.watch(redis.client(), lapse.repository.connection);
    await monitor.take(lapse.repository.connection);

    now = written + 5_000;
    const read = (await lapse.get(SID)) as unknown as Data;
    read['theme'] = 'dark';
    await lapse.set(SID, read as unknown as SessionData);
    expect(names(await monitor.take(lapse.repository.connection))).toEqual(['HGETALL', 'EVALSHA']);

    now = written + 10_000;
    await readRequest(lapse, 600_000);
    expect(names(await monitor.take(lapse.repository.connection))).toEqual(['HGETALL', 'EVALSHA']);
    expect(await storedExpiry(lapse)).toBe(now + 600_000);
  });

  it('touchAfter 0 (the default): every touch writes', async () => {
    const lapse = await open(undefined);
    expect(lapse.touchAfter).toBe(0);
    const written = now;
    await lapse.set(SID, data());
    monitor = await CommandMonitor.watch(redis.client(), lapse.repository.connection);
    await monitor.take(lapse.repository.connection);
    now = written + 1_000;
    await readRequest(lapse);
    expect(names(await monitor.take(lapse.repository.connection))).toEqual(['HGETALL', 'EVALSHA']);
    expect(await storedExpiry(lapse)).toBe(now + MAX_AGE_MS);
  });

  it('refuses a touchAfter that is not a finite number of seconds >= 0, naming it', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '60', null]) {
      expect(() => new LapseStore({ client: opened.client as never, touchAfter: bad as never })).toThrow(InvalidArgumentError);
      expect(() => new LapseStore({ client: opened.client as never, touchAfter: bad as never })).toThrow(/touchAfter: must be a finite number of seconds >= 0/);
    }
  });
});
