// connect-redis's options on LapseStore({ client }): each one honoured with connect-redis's
// meaning and readable on the store; options it does not know, or cannot use, refused.
import { InvalidArgumentError, LAPSE_PRINCIPAL_ATTRIBUTE, PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import type { SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LapseStore, principalAttributeResolver, type LapseStoreOptions } from '../src/index.js';
import { storeSessionIdGenerator } from '../src/internal.js';
import { decodeAttribute, serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
let client: Redis;
let namespace: string;
const stores: LapseStore[] = [];

beforeEach(() => {
  client = redis.client();
  namespace = uniqueNamespace('options');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  client.disconnect();
});

function store(options: Omit<LapseStoreOptions, 'client'> = {}): LapseStore {
  const made = new LapseStore({ client, prefix: `${namespace}:`, repositoryOptions: { ...serializerOptions(), cleanupCron: null }, ...options });
  stores.push(made);
  return made;
}

const inAMinute = (fields: Record<string, unknown> = {}): SessionData =>
  ({ cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString(), httpOnly: true, path: '/' }, ...fields }) as unknown as SessionData;
const shadowTtl = (sid: string): Promise<number> => client.pttl(`${namespace}:sessions:expires:${sid}`);

describe('connect-redis options', () => {
  it('prefix is the namespace: keys are <prefix>sessions:<id>', async () => {
    const lapse = store();
    expect(lapse.prefix).toBe(`${namespace}:`);
    expect(lapse.repository.keyspace.channels.namespace).toBe(namespace);
    await lapse.set('abc', inAMinute());
    expect(await client.exists(`${namespace}:sessions:abc`, `${namespace}:sessions:expires:abc`)).toBe(2);
  });

  it('ttl as a number applies to cookies without expiry; as a function it decides alone', async () => {
    const numeric = store({ ttl: 30 });
    expect(numeric.ttl).toBe(30);
    await numeric.set('n', { cookie: { originalMaxAge: null } } as unknown as SessionData);
    expect(await shadowTtl('n')).toBeGreaterThan(28_000);
    expect(await shadowTtl('n')).toBeLessThanOrEqual(31_000);

    const decide = (data: SessionData): number => ((data as unknown as { long?: boolean }).long ? 500 : 20);
    const byFunction = store({ ttl: decide });
    expect(byFunction.ttl).toBe(decide);
    await byFunction.set('f', inAMinute({ long: true }));
    expect(await shadowTtl('f')).toBeGreaterThan(490_000);
    await byFunction.set('g', inAMinute());
    expect(await shadowTtl('g')).toBeLessThanOrEqual(21_000);
    expect(await shadowTtl('g')).toBeGreaterThan(18_000);
  });

  it('disableTTL: the session never expires, and touch leaves it so', async () => {
    const lapse = store({ disableTTL: true });
    expect(lapse.disableTTL).toBe(true);
    await lapse.set('forever', inAMinute({ user: 'ada' }));
    expect(await shadowTtl('forever')).toBe(-1);
    expect(await client.pttl(`${namespace}:sessions:forever`)).toBe(-1);
    await lapse.touch('forever', inAMinute());
    expect(await shadowTtl('forever')).toBe(-1);
    expect(await lapse.get('forever')).toMatchObject({ user: 'ada' });
  });

  it('disableTouch: touch changes nothing', async () => {
    const lapse = store({ disableTouch: true });
    expect(lapse.disableTouch).toBe(true);
    await lapse.set('t', inAMinute());
    const before = await client.hget(`${namespace}:sessions:t`, 'lastAccessedTime');
    await lapse.touch('t', { cookie: { originalMaxAge: null, expires: new Date(Date.now() + 600_000) } } as unknown as SessionData);
    expect(await client.hget(`${namespace}:sessions:t`, 'lastAccessedTime')).toBe(before);
    expect(await shadowTtl('t')).toBeLessThanOrEqual(60_000);
    expect(await shadowTtl('t')).toBeGreaterThan(50_000);
  });

  it('serializer: stringify gets the whole session at each set, parse its text at each get (a promise is awaited)', async () => {
    const calls: string[] = [];
    const serializer = {
      stringify: (data: SessionData): string => {
        calls.push('stringify');
        return `v1:${JSON.stringify(data)}`;
      },
      parse: async (text: string): Promise<SessionData> => {
        calls.push('parse');
        return JSON.parse(text.slice(3)) as SessionData;
      },
    };
    const lapse = store({ serializer });
    expect(lapse.serializer).toBe(serializer);
    const data = inAMinute({ user: 'ada', when: '2026-01-01' });
    await lapse.set('s', data);
    expect(await lapse.get('s')).toEqual(JSON.parse(JSON.stringify(data)));
    expect(calls).toEqual(['stringify', 'parse']);
    expect(decodeAttribute((await client.hget(`${namespace}:sessions:s`, 'sessionAttr:lapse.serialized')) ?? '')).toMatch(/^v1:\{/);
  });

  it('with a small scanCount (many SCAN calls), length, ids, all and clear still see every session (the COUNT itself: store-round-trips)', async () => {
    const lapse = store({ scanCount: 2 });
    expect(lapse.scanCount).toBe(2);
    for (const sid of ['a', 'b', 'c', 'd', 'e']) await lapse.set(sid, inAMinute());
    expect(await lapse.length()).toBe(5);
    expect((await lapse.ids()).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await lapse.all()).toHaveLength(5);
    await lapse.clear();
    expect(await lapse.length()).toBe(0);
  });
});

describe('options refused', () => {
  it('an option LapseStore does not know is refused, never ignored', () => {
    expect(() => new LapseStore({ client, ttl: 10, disableTtl: true } as unknown as LapseStoreOptions)).toThrow(/disableTtl: is not an option of LapseStore/);
    expect(() => new LapseStore({ client, keyPrefix: 'x' } as unknown as LapseStoreOptions)).toThrow(InvalidArgumentError);
  });

  it('client and repository together or neither, prefix with a repository, and values of the wrong type are refused', () => {
    const lapse = store();
    expect(() => new LapseStore({} as LapseStoreOptions)).toThrow(InvalidArgumentError);
    expect(() => new LapseStore({ client, repository: lapse.repository })).toThrow(InvalidArgumentError);
    expect(() => new LapseStore({ repository: lapse.repository, prefix: 'x:' })).toThrow(InvalidArgumentError);
    expect(() => store({ ttl: 'long' as unknown as number })).toThrow(InvalidArgumentError);
    expect(() => store({ scanCount: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => store({ serializer: { parse: JSON.parse } as unknown as LapseStoreOptions['serializer'] })).toThrow(InvalidArgumentError);
    expect(() => store({ disableTTL: 'yes' as unknown as boolean })).toThrow(InvalidArgumentError);
    expect(() => store({ repositoryOptions: { namespace: 'x' } as never })).toThrow(InvalidArgumentError);
  });
});

describe('principal as the name of an attribute', () => {
  const indexKey = (name: string): string => `${namespace}:index:${PRINCIPAL_NAME_INDEX_NAME}:${name}`;
  const repositoryWith = (options: ConstructorParameters<typeof RedisIndexedSessionRepository>[1] = {}): RedisIndexedSessionRepository =>
    new RedisIndexedSessionRepository(client, { ...serializerOptions(), namespace, sessionIdGenerator: storeSessionIdGenerator, cleanupCron: null, ...options });

  it('refuses an empty name, a name the store keeps for itself, and a value that is neither a name nor a function', () => {
    for (const bad of ['', 'cookie', LAPSE_PRINCIPAL_ATTRIBUTE, 'lapse.serialized', PRINCIPAL_NAME_INDEX_NAME, '__proto__']) {
      expect(() => store({ principal: bad }), JSON.stringify(bad)).toThrow(InvalidArgumentError);
      expect(() => store({ principal: bad }), JSON.stringify(bad)).toThrow(/^principal: /);
    }
    for (const bad of [42, true, null, { user: 'ada' }]) {
      expect(() => store({ principal: bad as unknown as string }), String(bad)).toThrow(/^principal: must be a function of the session data or the name of the attribute/);
    }
  });

  it('with a repository, refuses an attribute its principalNameResolver does not read, and says what to pass', async () => {
    const plain = repositoryWith();
    try {
      expect(() => new LapseStore({ repository: plain, principal: 'user' })).toThrow(InvalidArgumentError);
      expect(() => new LapseStore({ repository: plain, principal: 'user' })).toThrow(/principalNameResolver: principalAttributeResolver\("user"\)/);
      // The function form and the default still take any repository.
      expect(() => new LapseStore({ repository: plain, principal: (data) => (data as { user?: string }).user })).not.toThrow();
      expect(() => new LapseStore({ repository: plain })).not.toThrow();
      expect(() => store({ principal: 'user', repositoryOptions: { principalNameResolver: plain.options.principalNameResolver } })).toThrow(/^repositoryOptions\.principalNameResolver: /);
    } finally {
      await plain.close();
    }
    const reading = repositoryWith({ principalNameResolver: principalAttributeResolver('user') });
    try {
      const lapse = new LapseStore({ repository: reading, principal: 'user' });
      await lapse.set('with-repository', inAMinute({ user: 'ada' }));
      expect(await client.smembers(indexKey('ada'))).toEqual(['with-repository']);
      await lapse.destroy('with-repository');
      expect(await client.exists(indexKey('ada'))).toBe(0);
      expect(() => new LapseStore({ repository: reading, principal: 'account' })).toThrow(/"account"/);
    } finally {
      await reading.close();
    }
  });

  it('a store built from client ends its sessions with a resolver reading the attribute', async () => {
    const lapse = store({ principal: 'account' });
    expect(lapse.repository.options.principalNameResolver.attributeNames).toContain('account');
    await lapse.set('from-client', inAMinute({ account: 'grace' }));
    expect(await client.smembers(indexKey('grace'))).toEqual(['from-client']);
    await lapse.repository.deleteById('from-client');
    expect(await client.exists(indexKey('grace'))).toBe(0);
  });

  it('with a serializer, the principal is kept beside the serialized session, in the attribute\'s field', async () => {
    const text = { stringify: (data: SessionData): string => JSON.stringify(data), parse: (raw: string): SessionData => JSON.parse(raw) as SessionData };
    const serialized = store({ principal: 'user', serializer: text });
    await serialized.set('serialized', inAMinute({ user: 'ada', n: 1 }));
    const hash = await client.hgetall(`${namespace}:sessions:serialized`);
    expect(Object.keys(hash).filter((field) => field.startsWith('sessionAttr:')).sort()).toEqual(['sessionAttr:lapse.serialized', 'sessionAttr:user']);
    expect(decodeAttribute(hash['sessionAttr:user'] ?? '')).toBe('ada');
    expect(await client.smembers(indexKey('ada'))).toEqual(['serialized']);
    expect(await serialized.get('serialized')).toMatchObject({ user: 'ada', n: 1 });
    await serialized.set('serialized', inAMinute({ user: 'bob', n: 2 }));
    expect(await client.smembers(indexKey('ada'))).toEqual([]);
    expect(await client.smembers(indexKey('bob'))).toEqual(['serialized']);
    await serialized.destroy('serialized');
    expect(await client.exists(indexKey('bob'))).toBe(0);
  });
});
