// Spring Session's RedisIndexedSessionRepositoryITests (docs/spring-session.md §4.1), on a real
// Redis, with real expiry and real DEL instead of hand-made keyspace messages: saving and reading.
// The principal index, id changes and save/flush modes: indexed-repository-principal-and-id.test.ts.
import { PRINCIPAL_NAME_INDEX_NAME } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { eventually } from './support/EventRecorder.js';
import { useRepository } from './support/fixture.js';
import { expireNow, principalIndexOf } from './support/repositoryProbes.js';
import { awaitSentinel } from './support/sentinel.js';
import { TEST_EXPIRATION_INDEX, filedSessions } from './support/testRepository.js';
import { decodeAttribute, TEST_SERIALIZER_KIND, useRedis } from './support/redis.js';

const redis = useRedis();
const f = useRepository(redis);

describe('saving and reading', () => {
  it('saves: created event with the attributes, principal index, then deleted with the data', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('a', 'b');
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'alice');
    await f.repository.save(session);

    const created = await f.events.next('created', session.id);
    expect(created.session?.id).toBe(session.id);
    expect(created.session?.getAttributeNames().sort()).toEqual(['a', PRINCIPAL_NAME_INDEX_NAME].sort());
    expect(created.session?.getAttribute('a')).toBe('b');
    expect(await principalIndexOf(f, 'alice')).toEqual([session.id]);

    await f.repository.deleteById(session.id);
    expect(await f.repository.findById(session.id)).toBeNull();
    expect(await principalIndexOf(f, 'alice')).toEqual([]);
    const destroyed = await f.events.next('destroyed', session.id);
    expect(destroyed.type).toBe('deleted');
    expect(destroyed.session?.getAttribute('a')).toBe('b');
  });

  it('keeps the hash exactly 300 s longer than the shadow key', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const hashTtl = await f.client.ttl(f.repository.keys.sessionKey(session.id));
    const shadowTtl = await f.client.ttl(f.repository.keys.shadowKey(session.id));
    expect(shadowTtl).toBe(1800);
    expect(hashTtl - shadowTtl).toBe(300);
  });

  it("stores Spring field names and the serializer's values (JSON by default), and files the session in its expiration index", async () => {
    const session = await f.repository.createSession();
    session.setAttribute('cart', { items: [1, 2] });
    await f.repository.save(session);
    const hash = await f.client.hgetall(f.repository.keys.sessionKey(session.id));
    expect(hash).toEqual({
      creationTime: String(session.creationTime),
      lastAccessedTime: String(session.lastAccessedTime),
      maxInactiveInterval: '1800',
      'sessionAttr:cart': expect.any(String),
    });
    // JSON text by default; with LAPSE_SERIALIZER=v8, what the test serializer reads back.
    if (TEST_SERIALIZER_KIND === 'json') expect(hash['sessionAttr:cart']).toBe('{"items":[1,2]}');
    expect(decodeAttribute(hash['sessionAttr:cart'] ?? '')).toEqual({ items: [1, 2] });
    // The shadow key holds '0', a value Redis shares between keys (Spring writes ''; nothing reads it).
    expect(await f.client.get(f.repository.keys.shadowKey(session.id))).toBe('0');
    const expiresAt = session.lastAccessedTime + 1_800_000;
    if (TEST_EXPIRATION_INDEX === 'sorted-set') {
      // Spring's SortedSetRedisSessionExpirationStore layout: member id, score expiry ms.
      expect(await f.client.zscore(f.repository.keys.expirationSortedSetKey, session.id)).toBe(String(expiresAt));
    } else {
      const minute = Math.floor(expiresAt / 60_000) * 60_000 + 60_000;
      const bucket = `${f.repository.keys.namespace}:expirations:${minute}`;
      expect(await f.client.smembers(bucket)).toEqual([`expires:${session.id}`]);
      expect(await f.client.pttl(bucket)).toBeGreaterThan(0);
    }
  });

  it('a request that touches a stored session renews every TTL and refiles it by its new expiry', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const session = await f.repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'toucher');
    session.lastAccessedTime = minute - 600_000;
    await f.repository.save(session);
    const keys = f.repository.keys;

    // With minute buckets, the first touch moves the expiry 10 minutes on (another bucket: the
    // full save script), the second by a second within the same minute (the lean touch script).
    for (const lastAccessedTime of [minute + 1_000, minute + 2_000]) {
      const loaded = (await f.repository.findById(session.id))!;
      loaded.lastAccessedTime = lastAccessedTime;
      loaded.setAttribute('visits', lastAccessedTime);
      expect(await f.repository.save(loaded)).toBe(true);

      // The shadow key lives until lastAccessedTime + maxInactiveInterval (the hash 300 s more).
      const left = Math.floor((lastAccessedTime + 1_800_000 - Date.now()) / 1000);
      expect(await f.client.ttl(keys.shadowKey(session.id))).toBeGreaterThanOrEqual(left - 1);
      expect(await f.client.ttl(keys.shadowKey(session.id))).toBeLessThanOrEqual(1800);
      expect(await f.client.ttl(keys.sessionKey(session.id))).toBeGreaterThanOrEqual(left + 299);
      expect(await f.client.ttl(keys.indexReferenceKey(session.id))).toBeGreaterThan(left + 299);
      expect(decodeAttribute((await f.client.hget(keys.sessionKey(session.id), 'sessionAttr:visits')) ?? '')).toBe(lastAccessedTime);
      const expiresAt = lastAccessedTime + 1_800_000;
      if (TEST_EXPIRATION_INDEX === 'sorted-set') {
        expect(await f.client.zscore(keys.expirationSortedSetKey, session.id)).toBe(String(expiresAt));
      } else {
        const bucket = `${keys.namespace}:expirations:${Math.floor(expiresAt / 60_000) * 60_000 + 60_000}`;
        expect(await f.client.sismember(bucket, `expires:${session.id}`)).toBe(1);
      }
      expect(await filedSessions(f.client, f.repository)).toBe(1);
    }
    expect(await principalIndexOf(f, 'toucher')).toEqual([session.id]);
  });

  it('reads back every kind of JSON value exactly (plain strings and integers take a shortcut)', async () => {
    const values: Record<string, unknown> = {
      plain: 'user-42',
      empty: '',
      quoted: 'say "hi"',
      backslash: 'C:\\temp\\x',
      escapes: 'tab\there\nline \u0001',
      unicode: 'naïve ☃ 𝄞 \u2028',
      looksLikeNumber: '123',
      zero: 0,
      negative: -17,
      big: 999_999_999_999_999,
      bigger: 12_345_678_901_234_567_890,
      fraction: 1.5,
      exponent: 1e-7,
      yes: true,
      list: [1, 'two', { three: 3 }],
      nested: { a: { b: ['c'] } },
    };
    const session = await f.repository.createSession();
    for (const [name, value] of Object.entries(values)) session.setAttribute(name, value);
    await f.repository.save(session);
    const loaded = (await f.repository.findById(session.id))!;
    for (const [name, value] of Object.entries(values)) expect(loaded.getAttribute(name), name).toEqual(value);
    expect(loaded.creationTime).toBe(session.creationTime);
  });

  it('putAllOnSingleAttrDoesNotRemoveOld: a delta save keeps the other attributes', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('a', 'b');
    await f.repository.save(session);
    const loaded = (await f.repository.findById(session.id))!;
    loaded.setAttribute('1', '2');
    await f.repository.save(loaded);
    const again = (await f.repository.findById(session.id))!;
    expect(again.getAttributeNames().sort()).toEqual(['1', 'a']);
    expect(again.getAttribute('a')).toBe('b');
    expect(again.getAttribute('1')).toBe('2');
  });

  it('removes a removed attribute from the hash (Spring #1331)', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('a', 'b');
    await f.repository.save(session);
    const loaded = (await f.repository.findById(session.id))!;
    loaded.removeAttribute('a');
    await f.repository.save(loaded);
    expect(await f.client.hexists(f.repository.keys.sessionKey(session.id), 'sessionAttr:a')).toBe(0);
    expect((await f.repository.findById(session.id))!.getAttributeNames()).toEqual([]);
  });

  it('never-expiring session (negative interval) has no TTLs and no bucket (Spring #3320)', async () => {
    const session = await f.repository.createSession();
    session.maxInactiveInterval = -1;
    await f.repository.save(session);
    expect(await f.client.ttl(f.repository.keys.sessionKey(session.id))).toBe(-1);
    expect(await f.client.ttl(f.repository.keys.shadowKey(session.id))).toBe(-1);
    expect(await filedSessions(f.client, f.repository)).toBe(0);
    const loaded = (await f.repository.findById(session.id))!;
    loaded.setAttribute('x', 1);
    await f.repository.save(loaded);
    expect(await f.client.ttl(f.repository.keys.shadowKey(session.id))).toBe(-1);
    await awaitSentinel(f.repository, f.events);
    expect(f.events.of('deleted', session.id)).toEqual([]);
    expect((await f.repository.findById(session.id))?.isExpired()).toBe(false);
  });

  it('an interval of 0 saves a session that is already gone (Spring saveExpired)', async () => {
    const session = await f.repository.createSession();
    session.maxInactiveInterval = 0;
    await f.repository.save(session);
    expect(await f.client.exists(f.repository.keys.shadowKey(session.id))).toBe(0);
    expect(await f.repository.findById(session.id)).toBeNull();
  });

  it('a hash holding only delta fields is corrupt: findById rejects naming the id', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    await f.client.hdel(f.repository.keys.sessionKey(session.id), 'creationTime');
    await expect(f.repository.findById(session.id)).rejects.toMatchObject({
      name: 'CorruptSessionDataError',
      sessionId: session.id,
      message: expect.stringContaining('creationTime key must not be null'),
    });
  });

  it('a session written by Spring (no :idx set) still leaves its principal index on delete and on expiry', async () => {
    for (const end of ['delete', 'expire'] as const) {
      const session = await f.repository.createSession();
      session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, `spring-${end}`);
      await f.repository.save(session);
      await f.client.del(f.repository.keys.indexReferenceKey(session.id));
      if (end === 'delete') await f.repository.deleteById(session.id);
      else await expireNow(f, session);
      await f.events.next(end === 'delete' ? 'deleted' : 'expired', session.id);
      await eventually(() => principalIndexOf(f, `spring-${end}`), (ids) => ids.length === 0, `index cleanup after ${end}`);
    }
  });

  it('deleteById is idempotent and leaves no principal entry', async () => {
    const session = await f.repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'bob');
    await f.repository.save(session);
    await f.repository.deleteById(session.id);
    await f.repository.deleteById(session.id);
    await f.events.next('deleted', session.id);
    expect(await principalIndexOf(f, 'bob')).toEqual([]);
    expect(await f.repository.findById(session.id)).toBeNull();
    await awaitSentinel(f.repository, f.events);
    expect(f.events.of('deleted', session.id)).toHaveLength(1);
  });

  it('saving a session deleted meanwhile writes nothing and resolves false (gh-1137)', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const stale = (await f.repository.findById(session.id))!;
    await f.repository.deleteById(session.id);
    stale.setAttribute('late', true);
    expect(await f.repository.save(stale)).toBe(false);
    expect(await f.client.hexists(f.repository.keys.sessionKey(session.id), 'sessionAttr:late')).toBe(0);
    expect(await f.client.exists(f.repository.keys.shadowKey(session.id))).toBe(0);
    expect(await f.repository.findById(session.id)).toBeNull();
  });

  it('saving a session that expired meanwhile does not resurrect it', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const stale = (await f.repository.findById(session.id))!;
    await expireNow(f, session);
    stale.lastAccessedTime = Date.now();
    expect(await f.repository.save(stale)).toBe(false);
    expect(await f.repository.findById(session.id)).toBeNull();
    await f.events.next('expired', session.id);
  });

  it('concurrent copies merge their deltas; the last lastAccessedTime wins', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const one = (await f.repository.findById(session.id))!;
    const two = (await f.repository.findById(session.id))!;
    one.setAttribute('one', 1);
    two.setAttribute('two', 2);
    two.lastAccessedTime = session.lastAccessedTime + 5000;
    await Promise.all([f.repository.save(one), f.repository.save(two)]);
    const merged = (await f.repository.findById(session.id))!;
    expect(merged.getAttribute('one')).toBe(1);
    expect(merged.getAttribute('two')).toBe(2);
    expect(merged.lastAccessedTime).toBe(session.lastAccessedTime + 5000);
  });
});
