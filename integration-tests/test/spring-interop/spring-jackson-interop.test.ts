// lapse and a live Spring Boot 3.5.7 application (interop/spring-app: Spring Session's indexed
// Redis repository, namespace spring:session, Spring Security's form login, the
// GenericJackson2JsonRedisSerializer with Spring Security's Jackson modules that Spring's docs
// give for sharing sessions) on one Redis, both ways, on both lapse clients (ioredis and
// node-redis). One Spring for the file; each test logs in as a user of its own.
// This file: finding, serving and saving each other's sessions; spring-jackson-interop-ends.test.ts: ends.
import { randomUUID } from 'node:crypto';
import { LapseStore } from '@lapse/express-session';
import { PRINCIPAL_NAME_INDEX_NAME, SPRING_SECURITY_CONTEXT } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis.js';
import { type SpringApp, sessionCookie } from './springApp.js';
import { ATTRIBUTES, newUser, springEvents, useSpringApp, useSpringJacksonRepository } from './springJacksonSuite.js';
import type { TestClientKind } from '@lapse/redis-harness/vitest';

const redis = useRedis();
let spring: SpringApp;
useSpringApp(redis, (app) => (spring = app));

describe.each(['ioredis', 'node-redis'] as const satisfies readonly TestClientKind[])('lapse on %s and a live Spring Session application', (kind) => {
  const { f, sentinel } = useSpringJacksonRepository(redis, () => spring, kind);

  it('a session Spring created at login is found by findById and findByPrincipalName with the attributes, types, times and timeout Spring reports', async () => {
    const user = newUser(kind);
    const browser = spring.browser();
    const id = await browser.login(user);
    await browser.setAttributes(ATTRIBUTES);
    // Spring reports the session as it read it back from Redis (this request's lastAccessedTime).
    const reported = (await browser.session())!;
    expect(reported.id).toBe(id);
    expect(reported.principal).toBe(user);

    const found = await f.repository.findById(id);
    expect(found).not.toBeNull();
    expect(found!.creationTime).toBe(reported.creationTime);
    expect(found!.lastAccessedTime).toBe(reported.lastAccessedTime);
    expect(found!.maxInactiveInterval).toBe(reported.maxInactiveInterval);
    expect(found!.maxInactiveInterval).toBe(1800);
    expect(new Set(found!.getAttributeNames())).toEqual(new Set(Object.keys(reported.attributes)));
    for (const { name } of ATTRIBUTES) expect(found!.getAttribute(name), name).toEqual(reported.attributes[name]!.value);
    // The Java types Spring holds after reading its own JSON back: JSON has no Long, so a Long
    // that fits an int comes back as an Integer in Spring itself; lapse reads numbers as numbers.
    expect(Object.fromEntries(Object.entries(reported.attributes).map(([name, a]) => [name, a.type]))).toEqual({
      text: 'java.lang.String',
      count: 'java.lang.Integer',
      bigLong: 'java.lang.Long',
      smallLong: 'java.lang.Integer',
      ratio: 'java.lang.Double',
      flag: 'java.lang.Boolean',
      items: 'java.util.ArrayList',
      prefs: 'java.util.LinkedHashMap',
      SPRING_SECURITY_CONTEXT: 'org.springframework.security.core.context.SecurityContextImpl',
    });
    expect((found!.getAttribute(SPRING_SECURITY_CONTEXT) as { authentication: { name: string } }).authentication.name).toBe(user);
    expect([...(await f.repository.findByPrincipalName(user)).keys()]).toEqual([id]);

    // Spring's created message (its first save's fields as one map) types its Longs inside the map,
    // ["java.lang.Long",n], which Spring Security's allowlist refuses: lapse's listener reads it
    // and emits created; Spring's own listener never gets its SessionCreatedEvent (its log says why).
    expect((await f.events.next('created', id)).session?.creationTime).toBe(reported.creationTime);
    await sentinel();
    expect(springEvents(await spring.events(), 'SessionCreatedEvent', id)).toHaveLength(0);
    expect(spring.log).toMatch(/java\.lang\.Long is not in the allowlist/);
  });

  it('a session lapse saved is served by Spring to a request with its SESSION cookie, with the attributes lapse wrote, and found by Spring\'s findByPrincipalName', async () => {
    const user = newUser(kind);
    const session = await f.repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
    session.setAttribute('text', 'héllo');
    session.setAttribute('count', 7);
    session.setAttribute('bigLong', 3_000_000_000);
    session.setAttribute('ratio', 1.5);
    session.setAttribute('flag', true);
    session.setAttribute('items', ['book', 2, 3_000_000_000]);
    session.setAttribute('prefs', { theme: 'dark', size: 14 });
    expect(await f.repository.save(session)).toBe(true);

    const seen = (await spring.browser(sessionCookie(session.id)).session())!;
    expect(seen).not.toBeNull();
    expect(seen.id).toBe(session.id);
    expect(seen.creationTime).toBe(session.creationTime);
    expect(seen.maxInactiveInterval).toBe(session.maxInactiveInterval);
    expect(seen.lastAccessedTime).toBeGreaterThanOrEqual(session.lastAccessedTime);
    expect(seen.principal).toBeNull();
    expect(seen.attributes).toEqual({
      text: { type: 'java.lang.String', value: 'héllo' },
      count: { type: 'java.lang.Integer', value: 7 },
      bigLong: { type: 'java.lang.Long', value: 3_000_000_000 },
      ratio: { type: 'java.lang.Double', value: 1.5 },
      flag: { type: 'java.lang.Boolean', value: true },
      items: { type: 'java.util.ArrayList', value: ['book', 2, 3_000_000_000] },
      prefs: { type: 'java.util.HashMap', value: { theme: 'dark', size: 14 } },
      [PRINCIPAL_NAME_INDEX_NAME]: { type: 'java.lang.String', value: user },
    });
    // lapse files it as Spring's JSON serializer files sessions: set members are JSON strings.
    const inspect = redis.client();
    expect(await inspect.smembers(f.repository.keys.principalIndexKey(user))).toEqual([`"${session.id}"`]);
    const expiresAt = session.lastAccessedTime + session.maxInactiveInterval * 1000;
    const bucket = `${f.repository.keys.bucketKeyPrefix}${Math.floor(expiresAt / 60_000) * 60_000 + 60_000}`;
    expect(await inspect.smembers(bucket)).toContain(`"expires:${session.id}"`);
    expect(await spring.principalSessions(user)).toEqual([session.id]);
    // Spring's access wrote its lastAccessedTime; lapse reads it.
    expect((await f.repository.findById(session.id))!.lastAccessedTime).toBe(seen.lastAccessedTime);
    // lapse's created message is plain JSON numbers: Spring's listener reads it.
    await spring.nextEvent('SessionCreatedEvent', session.id);
  });

  it('lapse\'s delta saves and Spring\'s saves interleave on one session without losing either side\'s writes', async () => {
    const user = newUser(kind);
    const browser = spring.browser();
    const id = await browser.login(user);
    await browser.setAttributes([{ name: 'fromSpring', type: 'int', value: 1 }]);

    const first = (await f.repository.findById(id))!;
    first.setAttribute('fromLapse', 'a');
    expect(await f.repository.save(first)).toBe(true);
    await browser.setAttributes([{ name: 'fromSpring', type: 'int', value: 2 }, { name: 'springList', type: 'list', value: [1, 2] }]);
    const second = (await f.repository.findById(id))!;
    expect(second.getAttribute('fromSpring')).toBe(2);
    second.setAttribute('fromLapse', 'b');
    second.setAttribute('lapseMap', { k: 'v' });
    // A lapse session object loaded before Spring's next save, saved after it: only its own change is written.
    const stale = (await f.repository.findById(id))!;
    await browser.setAttributes([{ name: 'fromSpring', type: 'int', value: 3 }]);
    expect(await f.repository.save(second)).toBe(true);
    stale.setAttribute('late', true);
    expect(await f.repository.save(stale)).toBe(true);

    const seen = (await browser.session())!;
    expect(seen.principal).toBe(user);
    expect(Object.fromEntries(Object.entries(seen.attributes).map(([name, a]) => [name, a.value]))).toEqual({
      SPRING_SECURITY_CONTEXT: user,
      fromSpring: 3,
      springList: [1, 2],
      fromLapse: 'b',
      lapseMap: { k: 'v' },
      late: true,
    });
    const found = (await f.repository.findById(id))!;
    expect(found.lastAccessedTime).toBe(seen.lastAccessedTime);
    expect(found.getAttribute('fromSpring')).toBe(3);
    expect(found.getAttribute('fromLapse')).toBe('b');
    expect(found.getAttribute('late')).toBe(true);
    expect([...(await f.repository.findByPrincipalName(user)).keys()]).toEqual([id]);
  });

  it('round trips: a Spring request that changes one attribute sends Spring\'s sequence of commands for the session; lapse\'s findById and delta save send 2', async () => {
    const browser = spring.browser();
    const id = await browser.login(newUser(kind));
    const warm = (await f.repository.findById(id))!; // lapse's save script is loaded once per Redis, before the count
    warm.setAttribute('n', 0);
    await f.repository.save(warm);
    const monitor = await redis.client().monitor();
    const seen: string[][] = [];
    let flushed: ((marker: string) => void) | undefined;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase() === 'echo' && args[1]?.startsWith('interop-marker-')) flushed?.(args[1]);
      // Commands a script runs inside Redis (source "lua") are not round trips.
      else if (source !== 'lua' && args.some((arg) => arg.includes(id))) seen.push(args);
    });
    /** Every command about the session MONITOR showed before now (an ECHO marker it shows after them). */
    const take = async (): Promise<string[]> => {
      const marker = `interop-marker-${Math.random()}`;
      const shown = new Promise<void>((resolve) => (flushed = (m) => m === marker && resolve()));
      await redis.client().echo(marker);
      await shown;
      return seen.splice(0).map((args) => args[0]!.toUpperCase());
    };
    try {
      await take();
      await browser.setAttributes([{ name: 'n', type: 'int', value: 1 }]);
      const springCommands = await take();
      const found = (await f.repository.findById(id))!;
      found.lastAccessedTime = Date.now();
      found.setAttribute('n', 2);
      expect(await f.repository.save(found)).toBe(true);
      const lapseCommands = await take();
      console.log(`[spring-interop ${kind}] one request changing an attribute: Spring sent ${springCommands.length} commands (${springCommands.join(' ')}); lapse's findById + save: ${lapseCommands.length} (${lapseCommands.join(' ')})`);
      expect(lapseCommands).toEqual(['HGETALL', 'EVALSHA']);
      expect(springCommands.length).toBeGreaterThan(lapseCommands.length);
    } finally {
      monitor.disconnect();
    }
  });

  it('a session the express-session store (LapseStore) saved under Spring\'s namespace is served by Spring with its data', async () => {
    const store = new LapseStore({ repository: f.repository });
    const sid = randomUUID(); // an id express-session's genid could give (the store refuses ids the repository's generator does not accept)
    const cookie = { originalMaxAge: 600_000, expires: new Date(Date.now() + 600_000), httpOnly: true, path: '/' };
    await store.set(sid, { cookie, user: 'ada', visits: 3, tags: ['a', 'b'] } as never);

    const seen = (await spring.browser(sessionCookie(sid)).session())!;
    expect(seen).not.toBeNull();
    expect(seen.id).toBe(sid);
    expect(seen.maxInactiveInterval).toBe(600);
    expect(seen.attributes['user']).toEqual({ type: 'java.lang.String', value: 'ada' });
    expect(seen.attributes['visits']).toEqual({ type: 'java.lang.Integer', value: 3 });
    expect(seen.attributes['tags']).toEqual({ type: 'java.util.ArrayList', value: ['a', 'b'] });
    // The cookie is stored compactly, as an array: [flags, originalMaxAge].
    expect(seen.attributes['cookie']?.type).toBe('java.util.ArrayList');
    // Spring's access (a new lastAccessedTime) leaves the store's session readable by the store.
    const back = (await store.get(sid)) as unknown as { user: string; visits: number; tags: string[] };
    expect(back.user).toBe('ada');
    expect(back.visits).toBe(3);
    expect(back.tags).toEqual(['a', 'b']);
    await store.destroy(sid);
    expect(await spring.browser(sessionCookie(sid)).session()).toBeNull();
  });

});
