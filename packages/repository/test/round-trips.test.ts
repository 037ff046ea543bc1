// What the repository sends to Redis, seen through MONITOR: each save is one round trip, an
// unchanged session none, and an invalid id never reaches Redis.
import { RedisIndexedSessionRepository, PRINCIPAL_NAME_INDEX_NAME } from '@lapse/repository';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandMonitor } from './support/CommandMonitor.js';
import { uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import type { Redis } from 'ioredis';
import { TEST_EXPIRATION_INDEX, testRepository } from './support/testRepository.js';

const redis = useRedis();
let client: Redis;
let repository: RedisIndexedSessionRepository;
let monitor: CommandMonitor;

beforeEach(async () => {
  client = redis.client();
  repository = await testRepository(client, { namespace: uniqueNamespace(), cleanupCron: null });
  // Load the scripts once (the very first use of a script on a server is EVALSHA, then EVAL).
  const warm = await repository.createSession();
  await repository.save(warm);
  const loaded = (await repository.findById(warm.id))!;
  loaded.setAttribute('warm', true);
  await repository.save(loaded); // the lean script of a request's save
  await repository.deleteById(warm.id);
  monitor = await CommandMonitor.watch(redis.client(), repository.connection);
});
afterEach(async () => {
  monitor.stop();
  await repository.close();
});

const names = (commands: string[][]): string[] => commands.map((c) => (c[0] ?? '').toUpperCase());

describe('round trips', () => {
  it('a delta save of an existing session is one EVALSHA and nothing else', async () => {
    const session = await repository.createSession();
    session.setAttribute('a', 1);
    await repository.save(session);
    const loaded = (await repository.findById(session.id))!;
    await monitor.take(repository.connection);

    loaded.lastAccessedTime = Date.now();
    loaded.setAttribute('b', 2);
    loaded.removeAttribute('a');
    await repository.save(loaded);
    expect(names(await monitor.take(repository.connection))).toEqual(['EVALSHA']);
  });

  it("a request's save (same id, principal and bucket) takes a lean script: 2 keys, 3 with a principal, 4 with the sorted set", async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const keysOfSave = async (principal: string | null): Promise<string | undefined> => {
      const session = await repository.createSession();
      session.lastAccessedTime = minute + 1_000;
      if (principal !== null) session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, principal);
      await repository.save(session);
      const loaded = (await repository.findById(session.id))!;
      // A first request's save loads its script on this fresh server (EVALSHA, NOSCRIPT, EVAL).
      loaded.lastAccessedTime = minute + 1_500;
      await repository.save(loaded);
      await monitor.take(repository.connection);

      loaded.lastAccessedTime = minute + 2_000;
      loaded.setAttribute('b', 2);
      await repository.save(loaded);
      const commands = await monitor.take(repository.connection);
      expect(names(commands)).toEqual(['EVALSHA']);
      expect((await repository.findById(session.id))?.getAttribute('b')).toBe(2);
      return commands[0]?.[2];
    };
    // Hash and shadow key; the `:idx` set's TTL with a principal; the sorted set's entry moves with every save.
    expect(await keysOfSave(null)).toBe(TEST_EXPIRATION_INDEX === 'sorted-set' ? '4' : '2');
    expect(await keysOfSave('ada')).toBe(TEST_EXPIRATION_INDEX === 'sorted-set' ? '4' : '3');
  });

  it('a new session, an id change and a principal change are each one EVALSHA', async () => {
    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'u1');
    await repository.save(session);
    expect(names(await monitor.take(repository.connection))).toEqual(['EVALSHA']);
    session.changeSessionId();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'u2');
    await repository.save(session);
    expect(names(await monitor.take(repository.connection))).toEqual(['EVALSHA']);
  });

  it('findById is one HGETALL far from the deadline; within a minute of it, EXISTS of the shadow key too; deleteById one EVALSHA', async () => {
    const session = await repository.createSession();
    await repository.save(session);
    await monitor.take(repository.connection);
    expect(await repository.findById(session.id)).not.toBeNull();
    const find = await monitor.take(repository.connection);
    expect(names(find)).toEqual(['HGETALL']);
    expect(find[0]?.[1]).toMatch(new RegExp(`:sessions:${session.id}$`));

    const ending = await repository.createSession({ maxInactiveInterval: 50 });
    await repository.save(ending);
    await monitor.take(repository.connection);
    expect(await repository.findById(ending.id)).not.toBeNull();
    const near = await monitor.take(repository.connection);
    expect(names(near)).toEqual(['HGETALL', 'EXISTS']);
    expect(near[1]?.[1]).toMatch(new RegExp(`:sessions:expires:${ending.id}$`));

    await repository.deleteById(session.id);
    expect(names(await monitor.take(repository.connection))).toEqual(['EVALSHA']);
  });

  it('an unchanged session makes no Redis call', async () => {
    const session = await repository.createSession();
    await repository.save(session);
    const loaded = (await repository.findById(session.id))!;
    await monitor.take(repository.connection);
    await repository.save(loaded);
    await repository.save(session);
    expect(await monitor.take(repository.connection)).toEqual([]);
  });

  it('invalid ids never reach Redis and are treated as not found', async () => {
    await monitor.take(repository.connection);
    const hostile = [
      '',
      'expires:abc',
      'a:b',
      'has space',
      '*',
      '../../x',
      'x'.repeat(10_000),
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', // 31 characters: one short of a lapse id
    ];
    for (const id of hostile) {
      expect(await repository.findById(id)).toBeNull();
      await repository.deleteById(id);
    }
    expect(await monitor.take(repository.connection)).toEqual([]);
  });
});
