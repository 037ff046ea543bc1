// Bad input gets a clear, typed error and leaves stored data and the listener intact.
import { SessionEventListener } from '@lapse/events';
import { InvalidArgumentError, RedisIndexedSessionRepository, SessionSerializationError } from '@lapse/repository';
import { defaultSessionIdGenerator } from '@lapse/repository/internal';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useRepository } from './support/fixture.js';
import { TEST_SERIALIZER_KIND, uniqueNamespace, useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
const f = useRepository(redis);

describe('session ids', () => {
  it('come from crypto with at least 128 bits and are all different', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i += 1) ids.add((await f.repository.createSession()).id);
    expect(ids.size).toBe(2000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(24);
    }
  });

  it('Spring UUID ids are accepted so Java-created sessions can be read', () => {
    expect(defaultSessionIdGenerator.isValid('42a435b0-8b2f-4d55-9d2a-3f8d2b1c7e11')).toBe(true);
    expect(defaultSessionIdGenerator.isValid('42a435b0-8b2f-4d55-9d2a-3f8d2b1c7e11:x')).toBe(false);
  });
});

describe('attributes', () => {
  it('an unserializable attribute fails save with the id and the name, writing nothing', async () => {
    // What this run's serializer cannot write: JSON has no BigInt and no cycles; V8's structured
    // clone has both, but no functions or symbols.
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const [unserializable, another] = TEST_SERIALIZER_KIND === 'json' ? [10n, cycle] : [() => 1, Symbol('s')];
    const session = await f.repository.createSession();
    session.setAttribute('ok', 'kept');
    await f.repository.save(session);
    const loaded = (await f.repository.findById(session.id))!;
    loaded.setAttribute('big', unserializable);
    loaded.setAttribute('other', 'not written either');
    const error = await f.repository.save(loaded).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionSerializationError);
    expect(error).toMatchObject({ sessionId: session.id, attributeName: 'big' });
    expect((await f.repository.findById(session.id))!.toJSON().attributes).toEqual({ ok: 'kept' });

    const fresh = await f.repository.createSession();
    fresh.setAttribute('cycle', another);
    await expect(f.repository.save(fresh)).rejects.toBeInstanceOf(SessionSerializationError);
    expect(await f.repository.findById(fresh.id)).toBeNull();
  });

  it('names are validated', async () => {
    const session = await f.repository.createSession();
    expect(() => session.setAttribute('', 1)).toThrow(InvalidArgumentError);
  });

  it('odd attribute names are plain names', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('__proto__', { polluted: true });
    session.setAttribute('constructor', 'c');
    await f.repository.save(session);
    const loaded = (await f.repository.findById(session.id))!;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(loaded.getAttribute('__proto__')).toEqual({ polluted: true });
    expect(loaded.getAttribute('constructor')).toBe('c');
    expect(loaded.getAttributeNames().sort()).toEqual(['__proto__', 'constructor']);
  });

  // Hostile JSON text is the JSON serializer's input: registered only in the runs that store JSON.
  if (TEST_SERIALIZER_KIND === 'json') it('stored JSON cannot pollute prototypes', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('__proto__', { polluted: true });
    session.setAttribute('constructor', 'c');
    await f.repository.save(session);
    await f.client.hset(
      f.repository.keys.sessionKey(session.id),
      'sessionAttr:evil',
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"fine":1}',
    );
    const loaded = (await f.repository.findById(session.id))!;
    const evil = loaded.getAttribute<Record<string, unknown>>('evil')!;
    expect(evil.fine).toBe(1);
    expect(Object.getPrototypeOf(evil)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(evil, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.assign({}, evil).polluted).toBeUndefined();
    expect(loaded.getAttribute('__proto__')).toEqual({ polluted: true });
    expect(loaded.getAttribute('constructor')).toBe('c');
  });

  it('hash fields named like Object.prototype members, and other foreign fields, are ignored (never deserialized), not inherited', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('kept', 1);
    await f.repository.save(session);
    await f.client.hset(f.repository.keys.sessionKey(session.id), '__proto__', '{"polluted":true}', 'constructor', '2', 'toString', '3', 'otherApp', '{not readable by any serializer');
    const loaded = (await f.repository.findById(session.id))!;
    expect(loaded.getAttributeNames()).toEqual(['kept']);
    expect(loaded.creationTime).toBe(session.creationTime);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('corrupt data in Redis', () => {
  it('wrong key type and invalid JSON make findById reject with the id; the data stays', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    await f.client.hset(f.repository.keys.sessionKey(session.id), 'sessionAttr:x', '{oops');
    await expect(f.repository.findById(session.id)).rejects.toMatchObject({ name: 'CorruptSessionDataError', sessionId: session.id, key: f.repository.keys.sessionKey(session.id) });
    expect(await f.client.hget(f.repository.keys.sessionKey(session.id), 'sessionAttr:x')).toBe('{oops');

    const other = await f.repository.createSession();
    await f.repository.save(other);
    await f.client.del(f.repository.keys.sessionKey(other.id));
    await f.client.set(f.repository.keys.sessionKey(other.id), 'a string');
    await expect(f.repository.findById(other.id)).rejects.toMatchObject({ name: 'CorruptSessionDataError', sessionId: other.id });
  });

  it('corrupt data of a session that has ended (its hash kept for the grace period, its end not recorded yet) is not found, not an error', async () => {
    // A repository of its own, with no listener or sweep: nothing records the end or marks the hash.
    const repository = await testRepository(f.client, { namespace: uniqueNamespace('ended-corrupt'), cleanupCron: null });
    const session = await repository.createSession();
    await repository.save(session);
    await f.client.hset(repository.keys.sessionKey(session.id), 'creationTime', 'not a time');
    await expect(repository.findById(session.id)).rejects.toMatchObject({ name: 'CorruptSessionDataError', sessionId: session.id });
    await f.client.del(repository.keys.shadowKey(session.id));
    expect(await repository.findById(session.id)).toBeNull();
    expect(await f.client.hgetall(repository.keys.sessionKey(session.id))).not.toHaveProperty('lapseEventRecorded');
    await repository.close();
  });
});

describe('options', () => {
  it('bad options are refused at construction with InvalidArgumentError', () => {
    expect(() => new RedisIndexedSessionRepository(f.client, { cleanupCron: 'every minute' })).toThrow(InvalidArgumentError);
    expect(() => new RedisIndexedSessionRepository(f.client, { namespace: '  ' })).toThrow(InvalidArgumentError);
    expect(() => new RedisIndexedSessionRepository(f.client, { defaultMaxInactiveInterval: 1.5 })).toThrow(InvalidArgumentError);
    // @ts-expect-error an invalid mode
    expect(() => new RedisIndexedSessionRepository(f.client, { flushMode: 'sometimes' })).toThrow(InvalidArgumentError);
    // @ts-expect-error not a client
    expect(() => new RedisIndexedSessionRepository({})).toThrow(InvalidArgumentError);
  });

  it('a connection with an ioredis keyPrefix is refused (its scripts build keys ioredis would not prefix)', () => {
    const prefixed = new Redis(redis.handle.url, { keyPrefix: 'app:', lazyConnect: true });
    expect(() => new RedisIndexedSessionRepository(prefixed)).toThrow(/keyPrefix.*namespace option/);
    expect(() => new RedisIndexedSessionRepository(prefixed)).toThrow(InvalidArgumentError);
    prefixed.disconnect();
  });

  it('close() stops the schedule and leaves the caller\'s connection open', async () => {
    const repository = await testRepository(f.client, { cleanupCron: '* * * * * *' });
    await repository.close();
    expect(await f.client.ping()).toBe('PONG');
    const listener = new SessionEventListener(repository);
    await listener.start();
    await listener.close();
    expect(await f.client.ping()).toBe('PONG');
  });
});
