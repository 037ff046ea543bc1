// lapse and a live Spring Boot 3.5.7 application (interop/spring-app: Spring Session's indexed
// Redis repository, namespace spring:session, Spring Security's form login, the
// GenericJackson2JsonRedisSerializer with Spring Security's Jackson modules that Spring's docs
// give for sharing sessions) on one Redis, both ways, on both lapse clients (ioredis and
// node-redis). One Spring for the file; each test logs in as a user of its own.
// This file: each side's ends reach the other once; spring-jackson-interop.test.ts: sessions shared.
import { SessionEventListener } from '@lapse/events';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository, SPRING_SECURITY_CONTEXT, SpringJacksonSessionSerializer } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { EventRecorder } from '../support/EventRecorder.js';
import { useRedis } from '../support/redis.js';
import type { SpringApp } from './springApp.js';
import { newUser, springEvents, useSpringApp, useSpringJacksonRepository } from './springJacksonSuite.js';
import type { TestClientKind } from '@lapse/redis-harness/vitest';

const redis = useRedis();
let spring: SpringApp;
useSpringApp(redis, (app) => (spring = app));

describe.each(['ioredis', 'node-redis'] as const satisfies readonly TestClientKind[])('lapse on %s and a live Spring Session application', (kind) => {
  const { f, sentinel } = useSpringJacksonRepository(redis, () => spring, kind);

  it('lapse\'s deleteById logs the user out of Spring: the next request is unauthenticated, and Spring\'s listener gets its deleted event once', async () => {
    const browser = spring.browser();
    const id = await browser.login(newUser(kind));
    expect(await browser.meStatus()).toBe(200);
    await f.repository.deleteById(id, { reason: 'admin' });
    expect(await browser.meStatus()).toBe(401);
    await spring.nextEvent('SessionDeletedEvent', id);
    expect((await f.events.next('deleted', id)).reason).toBe('admin');
    await sentinel();
    const all = await spring.events();
    expect(springEvents(all, 'SessionDeletedEvent', id)).toHaveLength(1);
    expect(springEvents(all, 'SessionExpiredEvent', id)).toHaveLength(0);
    expect(f.events.of('destroyed', id)).toHaveLength(1);
  });

  it('lapse\'s deleteByPrincipalName logs every session of the user out of Spring', async () => {
    const user = newUser(kind);
    const laptop = spring.browser();
    const phone = spring.browser();
    const ids = [await laptop.login(user), await phone.login(user)];
    expect(new Set((await f.repository.findByPrincipalName(user)).keys())).toEqual(new Set(ids));
    expect(await f.repository.deleteByPrincipalName(user, { reason: 'logout-everywhere' })).toBe(2);
    expect(await laptop.meStatus()).toBe(401);
    expect(await phone.meStatus()).toBe(401);
    for (const id of ids) {
      await spring.nextEvent('SessionDeletedEvent', id);
      expect((await f.events.next('deleted', id)).reason).toBe('logout-everywhere');
    }
    await sentinel();
    const all = await spring.events();
    for (const id of ids) expect(springEvents(all, 'SessionDeletedEvent', id)).toHaveLength(1);
    for (const id of ids) expect(f.events.of('destroyed', id)).toHaveLength(1);
    // Spring filed them as JSON strings ("<id>"); nothing of them is left in the index.
    expect(await redis.client().smembers(f.repository.keys.principalIndexKey(user))).toEqual([]);
  });

  it('Spring\'s logout reaches lapse\'s listener as deleted, once, with the session\'s last data', async () => {
    const user = newUser(kind);
    const browser = spring.browser();
    const id = await browser.login(user);
    await browser.setAttributes([{ name: 'cart', type: 'list', value: ['book'] }]);
    await browser.logout();
    const deleted = await f.events.next('deleted', id);
    expect(deleted.session?.getAttribute('cart')).toEqual(['book']);
    expect((deleted.session?.getAttribute(SPRING_SECURITY_CONTEXT) as { authentication: { name: string } }).authentication.name).toBe(user);
    await spring.nextEvent('SessionDeletedEvent', id);
    expect(await f.repository.findById(id)).toBeNull();
    expect((await f.repository.findByPrincipalName(user)).size).toBe(0);
    await sentinel();
    expect(f.events.of('deleted', id)).toHaveLength(1);
    expect(f.events.of('expired', id)).toHaveLength(0);
  });

  it('a Spring session\'s expiry reaches lapse\'s listener as expired, once, with its last data; Spring\'s own expired event comes too', async () => {
    const user = newUser(kind);
    const browser = spring.browser();
    const id = await browser.login(user);
    const last = await browser.setAttributes([{ name: 'cart', type: 'list', value: ['pen'] }]);
    const timed = await browser.setMaxInactiveInterval(2);
    const deadline = timed.lastAccessedTime + 2000;
    expect(last.id).toBe(id);
    const expired = await f.events.next('expired', id, 20_000);
    const lapseAt = Date.now();
    expect(expired.session?.getAttribute('cart')).toEqual(['pen']);
    expect(expired.session?.maxInactiveInterval).toBe(2);
    await spring.nextEvent('SessionExpiredEvent', id, 20_000);
    const springAt = Date.now();
    // Shown, not asserted: how late each side heard of the end, after the deadline.
    console.log(`[spring-interop ${kind}] expiry of a Spring session: lapse's listener ${lapseAt - deadline} ms after the deadline, Spring's listener by ${springAt - deadline} ms`);
    expect(await browser.meStatus()).toBe(401);
    await sentinel();
    expect(f.events.of('expired', id)).toHaveLength(1);
    expect(f.events.of('deleted', id)).toHaveLength(0);
    expect(springEvents(await spring.events(), 'SessionExpiredEvent', id)).toHaveLength(1);
    expect(springEvents(await spring.events(), 'SessionDeletedEvent', id)).toHaveLength(0);
  });

  it('with both sides sweeping spring:session, each end (a Spring session\'s and a lapse session\'s expiry, a logout) reaches each side\'s listeners once', async () => {
    const sweeping = new RedisIndexedSessionRepository(f.repository.client, {
      serializer: new SpringJacksonSessionSerializer(),
      cleanupCron: '* * * * * *',
    });
    const second = new SessionEventListener(sweeping);
    const secondEvents = new EventRecorder(second);
    await second.start();
    try {
      const springBrowser = spring.browser();
      const springId = await springBrowser.login(newUser(kind));
      await springBrowser.setMaxInactiveInterval(2);
      const lapseSession = await sweeping.createSession({ maxInactiveInterval: 2 });
      lapseSession.setAttribute(PRINCIPAL_NAME_INDEX_NAME, newUser(kind));
      await sweeping.save(lapseSession);
      const loggedOut = spring.browser();
      const loggedOutId = await loggedOut.login(newUser(kind));
      await loggedOut.logout();

      for (const recorder of [f.events, secondEvents]) {
        await recorder.next('expired', springId, 20_000);
        await recorder.next('expired', lapseSession.id, 20_000);
        await recorder.next('deleted', loggedOutId, 20_000);
      }
      await spring.nextEvent('SessionExpiredEvent', springId, 20_000);
      await spring.nextEvent('SessionExpiredEvent', lapseSession.id, 20_000);
      await spring.nextEvent('SessionDeletedEvent', loggedOutId, 20_000);
      await sentinel();
      for (const recorder of [f.events, secondEvents]) {
        // Spring files "expires:<id>" in the bucket as a JSON string; lapse's sweep reads its id
        // (it once read one character too many, and recorded an end for a garbled id).
        expect(recorder.events.filter(({ event }) => !f.repository.isValidSessionId(event.sessionId))).toEqual([]);
        expect(recorder.of('destroyed', springId).map((e) => e.type)).toEqual(['expired']);
        expect(recorder.of('destroyed', lapseSession.id).map((e) => e.type)).toEqual(['expired']);
        expect(recorder.of('destroyed', loggedOutId).map((e) => e.type)).toEqual(['deleted']);
      }
      const all = await spring.events();
      expect(springEvents(all, 'SessionExpiredEvent', springId)).toHaveLength(1);
      expect(springEvents(all, 'SessionExpiredEvent', lapseSession.id)).toHaveLength(1);
      expect(springEvents(all, 'SessionDeletedEvent', loggedOutId)).toHaveLength(1);
      for (const id of [springId, lapseSession.id, loggedOutId]) {
        expect(springEvents(all, 'SessionDeletedEvent', id).length + springEvents(all, 'SessionExpiredEvent', id).length).toBe(1);
      }
    } finally {
      await second.close();
      await sweeping.close();
    }
  });
});
