// The express example end to end: real HTTP requests (fetch, cookies by hand), a real ws
// client, a real Redis. A socket closes when its session ends (how soon is the benchmarks'
// business: tests never assert speed).
import { SessionEventListener } from '@lapse/events';
import { sessionCookie } from '@lapse/express-session';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { afterEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../../../packages/express-session/test/support/CookieClient.js';
import { uniqueNamespace, useClientUnderTest, useRedis } from '../../../packages/express-session/test/support/redis.js';
import { waitFor } from '../../../packages/express-session/test/support/waitFor.js';
import { SESSION_ENDED_CLOSE_CODE, startExampleServer, type ExampleServer } from '../src/index.js';
import { SocketClient } from './support/SocketClient.js';

const redis = useRedis();

/** How long a test waits for a socket to close before failing: a guard against hanging, not a speed claim. */
const CLOSE_WAIT_MS = 15_000;

/** The client the repositories get (LAPSE_CLIENT: ioredis, or node-redis 5/6 to the same server). */
const underTest = useClientUnderTest(redis);
let repository: RedisIndexedSessionRepository;
let listener: SessionEventListener;
let server: ExampleServer | undefined;
const sockets: SocketClient[] = [];

afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.terminate());
  await server?.close();
  server = undefined;
  await listener.close();
  await repository.close();
});

async function start(options: { cookieMaxAgeMs?: number } = {}): Promise<ExampleServer> {
  // A sweep every second, so expiry is reported on time even for keys Redis has not expired yet.
  repository = new RedisIndexedSessionRepository(underTest.client, { namespace: uniqueNamespace('example'), cleanupCron: '* * * * * *' });
  listener = new SessionEventListener(repository);
  await listener.start();
  server = await startExampleServer({ repository, listener, ...options });
  return server;
}

async function login(app: ExampleServer, user: string): Promise<{ browser: CookieClient; sessionId: string }> {
  const browser = new CookieClient(app.url);
  const response = await browser.request('POST', '/login', { user });
  expect(response.status).toBe(200);
  return { browser, sessionId: (response.body as { sessionId: string }).sessionId };
}

async function openSocket(app: ExampleServer, browser: CookieClient): Promise<SocketClient> {
  const socket = await SocketClient.connect(`${app.url.replace('http', 'ws')}/socket`, browser.cookieHeader());
  sockets.push(socket);
  await socket.message(1); // the server's hello: the socket is set up
  return socket;
}

describe('express example', () => {
  it('login, /me, a WebSocket for the session, and logout closes the socket', async () => {
    const app = await start();
    const { browser, sessionId } = await login(app, 'ada');
    expect(await browser.request('GET', '/me')).toMatchObject({ status: 200, body: { user: 'ada', sessionId } });
    const socket = await openSocket(app, browser);
    expect(socket.messages[0]).toEqual({ hello: 'ada', sessionId });
    socket.send('hi');
    expect(await socket.message(2)).toEqual({ user: 'ada', echo: 'hi' });

    expect((await browser.request('POST', '/logout')).status).toBe(200);
    const closed = await socket.closed(CLOSE_WAIT_MS);
    expect(closed).toMatchObject({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session deleted (destroy)' });
    expect((await browser.request('GET', '/me')).status).toBe(401);
  });

  it('refuses a WebSocket without a logged-in session', async () => {
    const app = await start();
    const url = `${app.url.replace('http', 'ws')}/socket`;
    await expect(SocketClient.connect(url, '')).rejects.toThrow('HTTP 401');
    const anonymous = new CookieClient(app.url);
    await anonymous.request('GET', '/me');
    await expect(SocketClient.connect(url, anonymous.cookieHeader())).rejects.toThrow('HTTP 401');
    const { browser } = await login(app, 'ada');
    await browser.request('POST', '/logout');
    await expect(SocketClient.connect(url, browser.cookieHeader())).rejects.toThrow('HTTP 401');
  });

  it('closes the socket when the session expires, not before', async () => {
    const app = await start({ cookieMaxAgeMs: 2000 });
    const { browser, sessionId } = await login(app, 'bob');
    const stored = await repository.findById(sessionId);
    if (stored === null) throw new Error('session not stored');
    expect(stored.maxInactiveInterval).toBe(2);
    const deadline = stored.lastAccessedTime + stored.maxInactiveInterval * 1000;
    const socket = await openSocket(app, browser);

    const closed = await socket.closed(deadline - Date.now() + CLOSE_WAIT_MS);
    expect(closed).toMatchObject({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session expired' });
    // Correctness, not speed: the socket is not closed before the session's deadline.
    expect(closed.at).toBeGreaterThanOrEqual(deadline - 50);
    expect((await browser.request('GET', '/me')).status).toBe(401);
  });

  it('"log out everywhere" closes every socket of the user, and only theirs', async () => {
    const app = await start();
    const phone = await login(app, 'cleo');
    const laptop = await login(app, 'cleo');
    const other = await login(app, 'dan');
    const phoneSocket = await openSocket(app, phone.browser);
    const laptopSocket = await openSocket(app, laptop.browser);
    const otherSocket = await openSocket(app, other.browser);

    expect(await phone.browser.request('POST', '/logout-everywhere')).toMatchObject({ status: 200, body: { ended: 2 } });
    for (const socket of [phoneSocket, laptopSocket]) {
      const closed = await socket.closed(CLOSE_WAIT_MS);
      expect(closed).toMatchObject({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session deleted (logout-everywhere)' });
    }
    expect((await laptop.browser.request('GET', '/me')).status).toBe(401);
    otherSocket.send('still here?');
    expect(await otherSocket.message(2)).toEqual({ user: 'dan', echo: 'still here?' });
    expect(otherSocket.open).toBe(true);
  });

  it('messages on the socket keep the session alive (keep-alive refreshes it)', async () => {
    const app = await start();
    const { browser, sessionId } = await login(app, 'eve');
    const before = await repository.findById(sessionId);
    if (before === null) throw new Error('session not stored');
    const socket = await openSocket(app, browser);
    // Make the session look idle for a while, then show activity on the socket only.
    before.lastAccessedTime -= 60_000;
    await repository.save(before);
    const idleSince = before.lastAccessedTime;

    socket.send('activity');
    await socket.message(2);
    const refreshed = await waitFor(
      () => repository.findById(sessionId),
      (session) => session !== null && session.lastAccessedTime > idleSince + 30_000,
      'the keep-alive to refresh lastAccessedTime',
    );
    const cookie = refreshed === null ? null : sessionCookie(refreshed);
    expect(Date.parse(String(cookie?.['expires']))).toBe((refreshed?.lastAccessedTime ?? 0) + Number(cookie?.['originalMaxAge']));
    expect(socket.open).toBe(true);
    expect(await browser.request('GET', '/me')).toMatchObject({ status: 200, body: { user: 'eve' } });
  });
});
