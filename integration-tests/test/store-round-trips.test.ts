// What LapseStore sends per express-session request, seen through MONITOR on the client
// LAPSE_CLIENT names: a request is two commands, each one round trip (the write needs the read's
// answer): HGETALL to load, one EVALSHA to save or touch, writing only what changed. A rolling
// request whose only change is the cookie's expiry writes no cookie bytes.
import { LapseStore } from '@lapse/express-session';
import { createSessionApp, startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandMonitor } from './support/CommandMonitor.js';
import { openTestClient, type TestClient } from './support/storeClient.js';
import { serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';
import { TEST_EXPIRATION_INDEX } from './support/testRepository.js';

const redis = useRedis();
let opened: TestClient;
let store: LapseStore;
let running: RunningApp;
let base: string;
let monitor: CommandMonitor;

/** A browser stand-in keeping the one session cookie. */
class Browser {
  #cookie = '';
  async request(method: string, path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(base + path, { method, headers: this.#cookie === '' ? {} : { cookie: this.#cookie } });
    const set = response.headers.getSetCookie()[0];
    if (set !== undefined) this.#cookie = set.split(';')[0] as string;
    return { status: response.status, body: await response.text() };
  }
}

type Data = Record<string, unknown>;

beforeEach(async () => {
  opened = await openTestClient(redis.handle.url);
  store = new LapseStore({
    client: opened.client as never,
    prefix: `${uniqueNamespace('trips')}:`,
    principal: (data) => (data as unknown as Data)['user'] as string | undefined,
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX },
  });
  const app = createSessionApp({
    store,
    secret: 'round trips',
    rolling: true,
    cookie: { maxAge: 3_600_000 },
    login: () => ({ user: 'ada', csrf: 'k3J9s0dD2fQ8wL1x', locale: 'en-GB' }),
  });
  app.post('/cart', (req, res) => {
    (req.session as unknown as Data)['cart'] = ['book'];
    res.send('added');
  });
  app.post('/cart/empty', (req, res) => {
    delete (req.session as unknown as Data)['cart'];
    res.send('emptied');
  });
  running = await startSessionApp(app);
  base = running.url;
  // Load the script on the server first (its very first use is EVALSHA, then EVAL).
  const warm = new Browser();
  await warm.request('POST', '/login');
  await warm.request('GET', '/read');
  monitor = await CommandMonitor.watch(redis.client(), store.repository.connection);
});
afterEach(async () => {
  monitor.stop();
  await running.close();
  await store.close();
  await opened.close();
});

const names = (commands: string[][]): string[] => commands.map((c) => (c[0] ?? '').toUpperCase());

/** The fields an EVALSHA of the store's write scripts sets and deletes (the delta starts at ARGV 3 of the refresh script, 2 keys, ARGV 6 of the touch script, 3 or 4 keys, and ARGV 13 of the general one, 8 keys). */
function written(command: string[]): { set: string[]; removed: string[] } {
  const numkeys = Number(command[2]);
  const argv = command.slice(3 + numkeys);
  const at = numkeys === 8 ? 12 : numkeys === 2 ? 2 : 5;
  const n = Number(argv[at]);
  const set = argv.slice(at + 1, at + 1 + 2 * n).filter((_, i) => i % 2 === 0);
  const m = Number(argv[at + 1 + 2 * n]);
  return { set, removed: argv.slice(at + 2 + 2 * n, at + 2 + 2 * n + m) };
}

describe('LapseStore round trips per request', () => {
  it('a read-only rolling request: HGETALL, then one EVALSHA writing lastAccessedTime only (no cookie bytes)', async () => {
    const browser = new Browser();
    await browser.request('POST', '/login');
    await monitor.take(store.repository.connection);

    expect(await browser.request('GET', '/read')).toEqual({ status: 200, body: 'hello ada (en-GB)' });
    const commands = await monitor.take(store.repository.connection);
    expect(names(commands)).toEqual(['HGETALL', 'EVALSHA']);
    expect(written(commands[1] as string[])).toEqual({ set: ['lastAccessedTime'], removed: [] });
  });

  it('a request changing the session: HGETALL, then one EVALSHA writing the changed key and lastAccessedTime; a removed key is deleted', async () => {
    const browser = new Browser();
    await browser.request('POST', '/login');
    await monitor.take(store.repository.connection);

    await browser.request('POST', '/cart');
    let commands = await monitor.take(store.repository.connection);
    expect(names(commands)).toEqual(['HGETALL', 'EVALSHA']);
    expect(written(commands[1] as string[]).set.sort()).toEqual(['lastAccessedTime', 'sessionAttr:cart']);

    await browser.request('POST', '/cart/empty');
    commands = await monitor.take(store.repository.connection);
    expect(names(commands)).toEqual(['HGETALL', 'EVALSHA']);
    expect(written(commands[1] as string[])).toEqual({ set: ['lastAccessedTime'], removed: ['sessionAttr:cart'] });
    expect((await browser.request('GET', '/read')).body).toBe('hello ada (en-GB)');
  });

  it('through the Store API: get is one HGETALL, set and touch one EVALSHA each', async () => {
    const sid = 'round-trips-api';
    // More than a minute from its deadline (nearer, Redis's shadow key decides: an EXISTS more, as for findById).
    const expires = (): string => new Date(Date.now() + 600_000).toISOString();
    await store.set(sid, { cookie: { originalMaxAge: null, expires: expires() }, user: 'ada' } as never);
    await monitor.take(store.repository.connection);

    const data = (await store.get(sid)) as unknown as Data;
    expect(names(await monitor.take(store.repository.connection))).toEqual(['HGETALL']);
    data['theme'] = 'dark';
    await store.set(sid, data as never);
    expect(names(await monitor.take(store.repository.connection))).toEqual(['EVALSHA']);
    (data['cookie'] as Data)['expires'] = new Date(Date.now() + 1_200_000).toISOString();
    await store.touch(sid, data as never);
    expect(names(await monitor.take(store.repository.connection))).toEqual(['EVALSHA']);
  });

  it('a set of an id destroyed a moment ago is one EVALSHA, and stores the new session', async () => {
    const sid = 'round-trips-again';
    const data = (): never => ({ cookie: { originalMaxAge: null, expires: new Date(Date.now() + 600_000).toISOString() }, user: 'ada' }) as never;
    await store.set(sid, data());
    await store.destroy(sid);
    await monitor.take(store.repository.connection);
    await store.set(sid, data());
    expect(names(await monitor.take(store.repository.connection))).toEqual(['EVALSHA']);
    expect(await store.get(sid)).toMatchObject({ user: 'ada' });
  });

  it('a save of another object than get returned (as @fastify/session saves) is still one EVALSHA', async () => {
    const sid = 'round-trips-copy';
    await store.set(sid, { cookie: { originalMaxAge: null, expires: new Date(Date.now() + 60_000).toISOString() }, user: 'ada' } as never);
    const copy = { ...((await store.get(sid)) as unknown as Data), theme: 'dark' };
    await monitor.take(store.repository.connection);
    await store.set(sid, copy as never);
    const commands = await monitor.take(store.repository.connection);
    expect(names(commands)).toEqual(['EVALSHA']);
    expect(written(commands[0] as string[]).set).toContain('sessionAttr:theme');
  });

  it('length, ids, all and clear list sessions by SCAN with scanCount as its COUNT, never KEYS', async () => {
    const counted = new LapseStore({ repository: store.repository, scanCount: 7 });
    const sids = ['scan-a', 'scan-b', 'scan-c'];
    for (const sid of sids) await counted.set(sid, { cookie: { originalMaxAge: null, expires: new Date(Date.now() + 60_000).toISOString() }, user: sid } as never);
    await monitor.take(store.repository.connection);
    const scanCounts = async (): Promise<string[]> => {
      const commands = await monitor.take(store.repository.connection);
      expect(names(commands)).not.toContain('KEYS');
      const scans = commands.filter((c) => names([c])[0] === 'SCAN');
      expect(scans.length).toBeGreaterThan(0);
      return scans.map((c) => String(c[c.findIndex((arg) => arg.toUpperCase() === 'COUNT') + 1]));
    };

    expect(await counted.length()).toBeGreaterThanOrEqual(sids.length);
    expect(new Set(await scanCounts())).toEqual(new Set(['7']));
    expect(await counted.ids()).toEqual(expect.arrayContaining(sids));
    expect(new Set(await scanCounts())).toEqual(new Set(['7']));
    expect((await counted.all()).map((data) => data.id)).toEqual(expect.arrayContaining(sids));
    expect(new Set(await scanCounts())).toEqual(new Set(['7']));
    await counted.clear();
    expect(new Set(await scanCounts())).toEqual(new Set(['7']));
    expect(await counted.length()).toBe(0);
  });
});
