// What the Spring Jackson interop suites share: one live Spring Boot application per file (Spring
// Session's indexed repository on the suite's Redis, sweeping every second), the attributes of
// every Java type the tests write, users of their own, and lapse's repository on Spring's
// namespace and JSON with a listener, per client.
import { RedisIndexedSessionRepository, SpringJacksonSessionSerializer } from '@lapse/repository';
import { clientUnderTest, type TestClientKind } from '@lapse/redis-harness/vitest';
import { afterAll, beforeAll } from 'vitest';
import { useListeningRepository, type ListeningRepository } from '../support/fixture.js';
import type { useRedis } from '../support/redis.js';
import { SpringApp, type SpringEvent, type TypedAttribute } from './springApp.js';

/** Starts the file's Spring application before its tests (handing it to `started`) and stops it after. */
export function useSpringApp(redis: ReturnType<typeof useRedis>, started: (app: SpringApp) => void): void {
  let app: SpringApp | undefined;
  beforeAll(async () => {
    // Spring sweeps its expiration buckets every second here (its default is every minute).
    app = await SpringApp.start(redis.handle.port, ['--spring.session.redis.cleanup-cron=* * * * * *']);
    started(app);
  }, 600_000);
  afterAll(async () => {
    await app?.stop();
  });
}

export const ATTRIBUTES: readonly TypedAttribute[] = [
  { name: 'text', type: 'string', value: 'héllo' },
  { name: 'count', type: 'int', value: 7 },
  { name: 'bigLong', type: 'long', value: 3_000_000_000 },
  { name: 'smallLong', type: 'long', value: 5 },
  { name: 'ratio', type: 'double', value: 1.5 },
  { name: 'flag', type: 'boolean', value: true },
  { name: 'items', type: 'list', value: ['book', 2] },
  { name: 'prefs', type: 'map', value: { theme: 'dark', size: 14 } },
];

let userCount = 0;
export function newUser(kind: string): string {
  userCount += 1;
  return `${kind}-user-${userCount}-${process.pid}`;
}

/** Spring's events of one type for one session. */
export function springEvents(events: readonly SpringEvent[], type: SpringEvent['type'], sessionId: string): SpringEvent[] {
  return events.filter((e) => e.type === type && e.sessionId === sessionId);
}

/**
 * lapse's repository on Spring's namespace and JSON (no sweep of its own unless a test starts
 * one) with a started listener, per test; and a sentinel for "once" claims: a session Spring
 * creates and lapse deletes, whose deleted event reaches lapse's listener (stream) and Spring's
 * (keyspace `del`) after every end before it.
 */
export function useSpringJacksonRepository(
  redis: ReturnType<typeof useRedis>,
  spring: () => SpringApp,
  kind: TestClientKind,
): { f: ListeningRepository; sentinel: () => Promise<void> } {
  const f = useListeningRepository(async () => {
    const client = await clientUnderTest(redis.client(), { kind });
    return new RedisIndexedSessionRepository(client, { serializer: new SpringJacksonSessionSerializer(), cleanupCron: null });
  });
  async function sentinel(): Promise<void> {
    const browser = spring().browser();
    const id = await browser.login(newUser(kind));
    await f.repository.deleteById(id);
    await f.events.next('deleted', id);
    await spring().nextEvent('SessionDeletedEvent', id);
  }
  return { f, sentinel };
}
