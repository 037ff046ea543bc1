// lapse with SpringJacksonSessionSerializer on a real Redis: what it stores is
// GenericJackson2JsonRedisSerializer's JSON, a session written in that JSON (as Spring writes
// it) is found, and Spring Security's context files the session under its principal.
// Fixtures: packages/repository/test/fixtures/spring-jackson (each names its source).
import { readFileSync } from 'node:fs';
import { SPRING_SECURITY_CONTEXT, SpringJacksonSessionSerializer } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { useRepository } from './support/fixture.js';
import { useRedis } from './support/redis.js';
import { filedSessions } from './support/testRepository.js';

const redis = useRedis();
const f = useRepository(redis, { serializer: new SpringJacksonSessionSerializer() });

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../packages/repository/test/fixtures/spring-jackson/${name}`, import.meta.url), 'utf8')) as T;
}
interface HashFixture {
  readonly fields: Record<string, string>;
  readonly expected: { creationTime: number; lastAccessedTime: number; maxInactiveInterval: number; attributes: Record<string, unknown> };
}

describe('SpringJacksonSessionSerializer through Redis', () => {
  it('save then find: the hash holds Jackson default typing, the session comes back equal, the security context feeds the principal index', async () => {
    const serializer = new SpringJacksonSessionSerializer();
    const context = serializer.deserialize(fixture<{ text: string }>('security-context-user-principal.json').text);
    const session = await f.repository.createSession();
    session.setAttribute('name', 'ada');
    session.setAttribute('cart', ['book', 3_000_000_000]);
    session.setAttribute('prefs', { theme: 'dark', fontSize: 14 });
    session.setAttribute(SPRING_SECURITY_CONTEXT, context);
    expect(await f.repository.save(session)).toBe(true);

    const key = f.repository.keys.sessionKey(session.id);
    // lapse's own metadata fields are decimal text whatever the serializer (its scripts read them).
    expect(await f.client.hget(key, 'creationTime')).toBe(String(session.creationTime));
    expect(await f.client.hget(key, 'lastAccessedTime')).toBe(String(session.lastAccessedTime));
    expect(await f.client.hget(key, 'maxInactiveInterval')).toBe('1800');
    expect(await f.client.hget(key, 'sessionAttr:cart')).toBe('["java.util.ArrayList",["book",3000000000]]');
    expect(await f.client.hget(key, 'sessionAttr:prefs')).toBe('{"@class":"java.util.HashMap","theme":"dark","fontSize":14}');
    const storedContext = JSON.parse((await f.client.hget(key, `sessionAttr:${SPRING_SECURITY_CONTEXT}`))!) as Record<string, unknown>;
    expect(storedContext['@class']).toBe('org.springframework.security.core.context.SecurityContextImpl');

    const found = await f.repository.findById(session.id);
    expect(found?.creationTime).toBe(session.creationTime);
    expect(found?.getAttribute('cart')).toEqual(['book', 3_000_000_000]);
    expect(found?.getAttribute('prefs')).toEqual({ theme: 'dark', fontSize: 14 });
    expect([...(await f.repository.findByPrincipalName('admin')).keys()]).toEqual([session.id]);
    expect((await f.events.next('created', session.id)).session?.getAttribute('name')).toBe('ada');

    await f.repository.deleteById(session.id);
    expect((await f.events.next('deleted', session.id)).session?.getAttribute('cart')).toEqual(['book', 3_000_000_000]);
    expect((await f.repository.findByPrincipalName('admin')).size).toBe(0);
    expect(await filedSessions(f.client, f.repository)).toBe(0);
  });

  it('finds a session written in Spring\'s JSON (fixture session-hash.json) and its security context\'s principal', async () => {
    const { fields, expected } = fixture<HashFixture>('session-hash.json');
    const id = '0f8e2c1a-5b6d-4e7f-8a9b-0c1d2e3f4a5b'; // Spring's own ids are UUIDs
    const context = fixture<{ text: string }>('security-context-string-principal.json').text;
    await f.client.hset(f.repository.keys.sessionKey(id), { ...fields, [`sessionAttr:${SPRING_SECURITY_CONTEXT}`]: context });
    await f.client.set(f.repository.keys.shadowKey(id), '', 'PX', 60_000);
    const found = await f.repository.findById(id);
    expect(found).not.toBeNull();
    expect(found!.creationTime).toBe(expected.creationTime);
    expect(found!.lastAccessedTime).toBe(expected.lastAccessedTime);
    expect(found!.maxInactiveInterval).toBe(expected.maxInactiveInterval);
    for (const [name, value] of Object.entries(expected.attributes)) expect(found!.getAttribute(name), name).toEqual(value);
    const securityContext = found!.getAttribute(SPRING_SECURITY_CONTEXT) as { authentication: { name: string } };
    expect(securityContext.authentication.name).toBe('admin');

    // Filed as Spring files it, then deleted by lapse: its scripts read the typed metadata
    // (["java.lang.Long",…]) to find the minute bucket, and leave no entry behind.
    if (f.repository.options.expirationIndex === 'minute-buckets') {
      const expiresAt = expected.lastAccessedTime + expected.maxInactiveInterval * 1000;
      const bucket = Math.floor(expiresAt / 60_000) * 60_000 + 60_000;
      await f.client.sadd(`${f.repository.keys.bucketKeyPrefix}${bucket}`, `expires:${id}`);
      expect(await filedSessions(f.client, f.repository)).toBe(1);
    } else {
      await f.client.zadd(f.repository.keys.expirationSortedSetKey, expected.lastAccessedTime + expected.maxInactiveInterval * 1000, id);
      expect(await filedSessions(f.client, f.repository)).toBe(1);
    }
    await f.repository.deleteById(id);
    await f.events.next('deleted', id);
    expect(await filedSessions(f.client, f.repository)).toBe(0);
  });
});
