// Both examples (express and fastify) over real HTTP and a real ws client on a real Redis: the same
// page and routes, WebSockets that close when their session ends, and a socket's messages keeping a
// short session alive on the session's own clock, with Redis writes counted through MONITOR.
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../../../packages/express-session/test/support/CookieClient.js';
import { uniqueNamespace, useClientUnderTest, useRedis } from '../../../packages/express-session/test/support/redis.js';
import { startExampleServer } from '../../express/src/index.js';
import { SocketClient } from '../../express/test/support/SocketClient.js';
import { startFastifyExample } from '../../fastify/src/index.js';
import { SESSION_ENDED_CLOSE_CODE } from '../src/index.js';

const redis = useRedis();
const underTest = useClientUnderTest(redis);

/** How long a test waits for a socket to close before failing: a guard against hanging, not a speed claim. */
const CLOSE_WAIT_MS = 15_000;
/** Commands that only read: everything else naming the session is a write. */
const READS = new Set(['echo', 'hgetall', 'hget', 'hmget', 'exists', 'pttl', 'ttl', 'type', 'smembers', 'sismember', 'zscore']);

interface Running {
  readonly url: string;
  close(): Promise<void>;
}
type Start = (repository: RedisIndexedSessionRepository, listener: SessionEventListener) => Promise<Running>;

const EXAMPLES: [string, Start][] = [
  ['express', (repository, listener) => startExampleServer({ repository, listener })],
  ['fastify', (repository, listener) => startFastifyExample({ repository, listener })],
];

let repository: RedisIndexedSessionRepository | undefined;
let listener: SessionEventListener | undefined;
let running: Running | undefined;
let monitor: Redis | undefined;
const sockets: SocketClient[] = [];

afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.terminate());
  monitor?.disconnect();
  monitor = undefined;
  await running?.close();
  await listener?.close();
  await repository?.close();
  running = undefined;
});

describe.each(EXAMPLES)('the %s example', (_name, start) => {
  async function app(): Promise<Running> {
    // A sweep every second, as the examples' main.ts runs it.
    repository = new RedisIndexedSessionRepository(underTest.client, { namespace: uniqueNamespace('sockets'), cleanupCron: '* * * * * *' });
    listener = new SessionEventListener(repository);
    await listener.start();
    running = await start(repository, listener);
    return running;
  }

  async function login(url: string, body: Record<string, unknown>): Promise<{ browser: CookieClient; sessionId: string }> {
    const browser = new CookieClient(url);
    const response = await browser.request('POST', '/login', body);
    expect(response.status).toBe(200);
    return { browser, sessionId: (response.body as { sessionId: string }).sessionId };
  }

  async function openSocket(url: string, browser: CookieClient): Promise<SocketClient> {
    const socket = await SocketClient.connect(`${url.replace('http', 'ws')}/socket`, browser.cookieHeader());
    sockets.push(socket);
    await socket.message(1); // the server's hello: the socket is set up
    return socket;
  }

  it('serves the shared page, and lists the user\'s devices', async () => {
    const { url } = await app();
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    const script = await fetch(`${url}/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('SESSION_ENDED_CLOSE_CODE = 4001');

    const laptop = await login(url, { user: 'ada', device: 'laptop' });
    const phone = await login(url, { user: 'ada', device: 'phone', maxAgeSeconds: 3 });
    expect(await phone.browser.request('GET', '/me')).toMatchObject({ status: 200, body: { user: 'ada', sessionId: phone.sessionId, device: 'phone' } });
    expect((await repository?.findById(phone.sessionId))?.maxInactiveInterval).toBe(3);
    const devices = await laptop.browser.request('GET', '/devices');
    expect(devices.status).toBe(200);
    const listed = (devices.body as { devices: { device: string; current: boolean; expiresAt: number }[] }).devices;
    expect(listed.map(({ device, current }) => ({ device, current }))).toEqual([
      { device: 'laptop', current: true },
      { device: 'phone', current: false },
    ]);
    expect((await new CookieClient(url).request('GET', '/devices')).status).toBe(401);
    expect((await new CookieClient(url).request('POST', '/login', { user: 'ada', maxAgeSeconds: 0 })).status).toBe(400);
  });

  it('a socket closes when its session is logged out everywhere; one without a session is refused', async () => {
    const { url } = await app();
    await expect(SocketClient.connect(`${url.replace('http', 'ws')}/socket`, '')).rejects.toThrow('HTTP 401');
    const phone = await login(url, { user: 'cleo' });
    const laptop = await login(url, { user: 'cleo' });
    const phoneSocket = await openSocket(url, phone.browser);
    const laptopSocket = await openSocket(url, laptop.browser);
    expect(phoneSocket.messages[0]).toEqual({ hello: 'cleo', sessionId: phone.sessionId });
    expect(await laptop.browser.request('POST', '/logout-everywhere')).toMatchObject({ status: 200, body: { ended: 2 } });
    for (const socket of [phoneSocket, laptopSocket]) {
      expect(await socket.closed(CLOSE_WAIT_MS)).toMatchObject({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session deleted (logout-everywhere)' });
    }
    await expect(SocketClient.connect(`${url.replace('http', 'ws')}/socket`, phone.browser.cookieHeader())).rejects.toThrow('HTTP 401');
  });

  it('a socket whose session ended unnoticed by the listener is closed at its next message (the keep-alive finds it gone)', async () => {
    const { url } = await app();
    const { browser, sessionId } = await login(url, { user: 'finn' });
    const socket = await openSocket(url, browser);
    // The listener stops hearing anything (as when its connection is lost), then the session is deleted.
    await listener?.close();
    await repository?.deleteById(sessionId);
    socket.send('anyone there?');
    expect(await socket.closed(CLOSE_WAIT_MS)).toMatchObject({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session ended' });
  });

  it('a 2-second session lives while its socket sends every 250 ms for 6 s, written to Redis for under half the messages, then ends on time', async () => {
    const { url } = await app();
    const { browser, sessionId } = await login(url, { user: 'eve', maxAgeSeconds: 2 });
    const socket = await openSocket(url, browser);

    // Every command naming the session, except those Lua scripts run (MONITOR shows them too).
    const written: string[] = [];
    monitor = await redis.client().monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const name = String(args[0]).toLowerCase();
      if (source !== 'lua' && !READS.has(name) && args.some((arg) => String(arg).includes(sessionId))) written.push(name);
    });

    const started = Date.now();
    let messages = 0;
    while (Date.now() - started < 6_000) {
      socket.send(`message ${++messages}`);
      await socket.message(messages + 1); // the echo: the server has handled it
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const elapsed = Date.now() - started;
    expect(socket.open).toBe(true);
    const stored = await repository?.findById(sessionId);
    expect(stored?.maxInactiveInterval).toBe(2);
    // A marker through the monitored server: every command sent before it has been seen.
    const marker = `marker-${sessionId}`;
    const seen = new Promise<void>((resolve) => monitor?.on('monitor', (_t: string, args: string[]) => String(args[1]) === marker && resolve()));
    await redis.client().echo(marker);
    await seen;
    // Each refresh is one EVALSHA (and one EVAL after it when the server answered NOSCRIPT): at most
    // one per third of the timeout, far fewer than the messages.
    expect(new Set(written.filter((name) => name !== 'eval'))).toEqual(new Set(['evalsha']));
    const refreshes = written.filter((name) => name === 'evalsha').length;
    expect(refreshes).toBeLessThanOrEqual(Math.floor(elapsed / (2000 / 3)) + 1);
    expect(refreshes).toBeLessThan(messages / 2);

    // Silence: the session ends 2 s after the last refresh, and the socket is closed then, not before.
    if (stored === null || stored === undefined) throw new Error('session gone while its socket was busy');
    const deadline = stored.lastAccessedTime + 2000;
    const closed = await socket.closed(deadline - Date.now() + CLOSE_WAIT_MS);
    expect(closed).toMatchObject({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session expired' });
    expect(closed.at).toBeGreaterThanOrEqual(deadline - 50);
    expect((await browser.request('GET', '/me')).status).toBe(401);
  });
});
