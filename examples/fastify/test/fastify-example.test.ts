// The fastify example end to end: @fastify/session on LapseStore, real HTTP requests (fetch,
// cookies by hand), a real Redis, and lapse's events.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { sessionCookie } from '@lapse/express-session';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { EventRecorder } from '@lapse/redis-harness/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CookieClient } from '../../../packages/express-session/test/support/CookieClient.js';
import { uniqueNamespace, useClientUnderTest, useRedis } from '../../../packages/express-session/test/support/redis.js';
import { startFastifyExample, type FastifyExample } from '../src/index.js';

const redis = useRedis();

/** The client the repositories get (LAPSE_CLIENT: ioredis, or node-redis 5/6 to the same server). */
const underTest = useClientUnderTest(redis);
let repository: RedisIndexedSessionRepository;
let listener: SessionEventListener;
let events: EventRecorder<SessionEvent>;
let example: FastifyExample;

beforeEach(async () => {
  repository = new RedisIndexedSessionRepository(underTest.client, { namespace: uniqueNamespace('fastify'), cleanupCron: null });
  listener = new SessionEventListener(repository);
  events = new EventRecorder<SessionEvent>(listener);
  await listener.start();
  example = await startFastifyExample({ repository, listener, cookieMaxAgeMs: 600_000 });
});
afterEach(async () => {
  await example.close();
  await listener.close();
  await repository.close();
});

async function login(user: string, browser = new CookieClient(example.url)): Promise<{ browser: CookieClient; sessionId: string }> {
  const response = await browser.request('POST', '/login', { user });
  expect(response.status).toBe(200);
  return { browser, sessionId: (response.body as { sessionId: string }).sessionId };
}

describe('fastify example', () => {
  it('login, session read and logout, in lapse\'s layout with its events', async () => {
    const { browser, sessionId } = await login('ada');
    expect(browser.cookie('sessionId')).toMatch(new RegExp(`^${sessionId}\\.`));
    // @fastify/session's regenerate stores the new, empty session first; the login then saves the user.
    const created = await events.next('created', sessionId);
    expect(created.session === null ? null : sessionCookie(created.session)).toMatchObject({ originalMaxAge: 600_000, path: '/' });
    const stored = await repository.findById(sessionId);
    expect(stored?.maxInactiveInterval).toBe(600);
    expect(stored?.getAttribute('user')).toBe('ada');
    expect(await example.store.get(sessionId)).toMatchObject({ user: 'ada' });

    expect(await browser.request('GET', '/me')).toMatchObject({ status: 200, body: { user: 'ada', sessionId } });

    expect((await browser.request('POST', '/logout')).status).toBe(200);
    const deleted = await events.next('deleted', sessionId);
    expect(deleted.reason).toBe('destroy');
    expect(deleted.session?.getAttribute('user')).toBe('ada');
    expect((await browser.request('GET', '/me')).status).toBe(401);
    expect(await repository.findById(sessionId)).toBeNull();
  });

  it('logging in again regenerates: the old session ends, the new one is filed under the user', async () => {
    const first = await login('bob');
    const second = await login('bob', first.browser);
    expect(second.sessionId).not.toBe(first.sessionId);
    await events.next('deleted', first.sessionId);
    expect([...(await repository.findByPrincipalName('bob')).keys()]).toEqual([second.sessionId]);
    expect(await first.browser.request('GET', '/me')).toMatchObject({ status: 200, body: { user: 'bob', sessionId: second.sessionId } });
  });

  it('"log out everywhere" ends every session of the user', async () => {
    const phone = await login('cleo');
    const laptop = await login('cleo');
    const other = await login('dan');
    expect(await phone.browser.request('POST', '/logout-everywhere')).toMatchObject({ status: 200, body: { ended: 2 } });
    expect((await events.next('deleted', laptop.sessionId)).reason).toBe('logout-everywhere');
    expect((await laptop.browser.request('GET', '/me')).status).toBe(401);
    expect((await phone.browser.request('GET', '/me')).status).toBe(401);
    expect((await other.browser.request('GET', '/me')).status).toBe(200);
  });
});
