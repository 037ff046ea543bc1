// lapse and a live Spring Session application that keeps Spring's default serializer,
// JdkSerializationRedisSerializer (profile jdk of interop/spring-app): every hash value, and the
// members of Spring's sets, are Java serialization. What lapse does with such sessions, on both
// lapse clients: it refuses to read them with a CorruptSessionDataError naming the serializer,
// finds none of them by principal, and still ends them both ways, with events whose session is
// null (its data unreadable) and the listener's 'error' naming the serializer.
import { CorruptSessionDataError, RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest, type TestClientKind } from '@lapse/redis-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRecorder } from '../support/EventRecorder.js';
import { useRedis } from '../support/redis.js';
import { SpringApp } from './springApp.js';
import { useListeningRepository } from '../support/fixture.js';

const NAMESPACE = 'jdk:session';
const redis = useRedis();
let spring: SpringApp;
beforeAll(async () => {
  spring = await SpringApp.start(redis.handle.port, ['--spring.profiles.active=jdk', `--spring.session.redis.namespace=${NAMESPACE}`, '--spring.session.redis.cleanup-cron=* * * * * *']);
}, 600_000);
afterAll(async () => {
  await spring?.stop();
});

let userCount = 0;
function newUser(kind: string): string {
  userCount += 1;
  return `jdk-${kind}-${userCount}-${process.pid}`;
}

/** The listener's errors about one session, each a CorruptSessionDataError naming Java serialization. */
function javaErrors(events: EventRecorder, sessionId: string): CorruptSessionDataError[] {
  return events.errors.filter((e): e is CorruptSessionDataError => e instanceof CorruptSessionDataError && e.sessionId === sessionId);
}

describe.each(['ioredis', 'node-redis'] as const satisfies readonly TestClientKind[])('lapse on %s and a Spring Session application with JDK serialization', (kind) => {
  const f = useListeningRepository(async () => new RedisIndexedSessionRepository(await clientUnderTest(redis.client(), { kind }), { namespace: NAMESPACE, cleanupCron: null }));

  /** Sentinel for "once" claims: a Spring session deleted by lapse, heard by both listeners after every end before it. */
  async function sentinel(): Promise<void> {
    const id = await spring.browser().login(newUser(kind));
    await f.repository.deleteById(id);
    await f.events.next('deleted', id);
    await spring.nextEvent('SessionDeletedEvent', id);
  }

  it('findById refuses a Java-serialized session with a CorruptSessionDataError naming JdkSerializationRedisSerializer; findByPrincipalName finds none', async () => {
    const user = newUser(kind);
    const browser = spring.browser();
    const id = await browser.login(user);
    const error = await f.repository.findById(id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptSessionDataError);
    expect((error as CorruptSessionDataError).sessionId).toBe(id);
    expect((error as CorruptSessionDataError).key).toBe(`${NAMESPACE}:sessions:${id}`);
    expect((error as Error).message).toMatch(/Java serialization \(Spring Session's default JdkSerializationRedisSerializer\)/);
    // The index set's members are Java-serialized strings, not ids: lapse finds nothing there.
    expect((await f.repository.findByPrincipalName(user)).size).toBe(0);
    expect(await browser.meStatus()).toBe(200);
  });

  it('lapse\'s deleteById ends a Java-serialized session: Spring logs the user out; both listeners hear it once, lapse\'s with session null and an error naming the serializer', async () => {
    const browser = spring.browser();
    const id = await browser.login(newUser(kind));
    await f.repository.deleteById(id);
    expect(await browser.meStatus()).toBe(401);
    const deleted = await f.events.next('deleted', id);
    expect(deleted.session).toBeNull();
    await spring.nextEvent('SessionDeletedEvent', id);
    await sentinel();
    expect(f.events.of('destroyed', id)).toHaveLength(1);
    expect(javaErrors(f.events, id).length).toBeGreaterThanOrEqual(1);
    for (const error of javaErrors(f.events, id)) expect(error.message).toMatch(/JdkSerializationRedisSerializer/);
    expect((await spring.events()).filter((e) => e.sessionId === id && e.type === 'SessionDeletedEvent')).toHaveLength(1);
  });

  it('Spring\'s logout and a Spring session\'s expiry reach lapse\'s listener once each, as deleted and expired with session null', async () => {
    const loggedOut = spring.browser();
    const loggedOutId = await loggedOut.login(newUser(kind));
    const expiring = spring.browser();
    const expiringId = await expiring.login(newUser(kind));
    await expiring.setMaxInactiveInterval(2);
    await loggedOut.logout();
    expect((await f.events.next('deleted', loggedOutId)).session).toBeNull();
    expect((await f.events.next('expired', expiringId, 20_000)).session).toBeNull();
    await spring.nextEvent('SessionExpiredEvent', expiringId, 20_000);
    await sentinel();
    expect(f.events.of('destroyed', loggedOutId).map((e) => e.type)).toEqual(['deleted']);
    expect(f.events.of('destroyed', expiringId).map((e) => e.type)).toEqual(['expired']);
    for (const id of [loggedOutId, expiringId]) {
      expect(javaErrors(f.events, id).length).toBeGreaterThanOrEqual(1);
      for (const error of javaErrors(f.events, id)) expect(error.message).toMatch(/JdkSerializationRedisSerializer/);
    }
  });
});
