import { useRedis } from '@lapse/redis-harness/vitest';
import { Redis } from 'ioredis';
import { createClient as createClient5 } from 'redis';
import { createClient as createClient6 } from 'redis6';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisIndexedSessionRepository, WrongDatabaseError, type RedisClient } from '../src/index.js';

const redis = useRedis();
const toClose: (() => void)[] = [];
afterAll(() => {
  for (const close of toClose) close();
});

let namespaces = 0;
const namespace = (): string => `wrongdb${process.pid}x${++namespaces}`;

/** The keys of `ns` in every database of the test server. */
async function keysOf(ns: string): Promise<string[]> {
  const admin = redis.client();
  const found: string[] = [];
  for (let db = 0; db < 16; db++) {
    await admin.select(db);
    found.push(...(await admin.keys(`${ns}:*`)).map((key) => `${db}/${key}`));
  }
  return found;
}

/** Every call of `repository` rejects with the WrongDatabaseError naming both databases. */
async function expectRefusedEverywhere(repository: RedisIndexedSessionRepository, requested: number, actual: number, liveId: string): Promise<void> {
  const refusal = expect.objectContaining({ requestedDatabase: requested, actualDatabase: actual, code: 'ERR_LAPSE_WRONG_DATABASE' });
  const session = await repository.createSession();
  session.setAttribute('user', 'ada');
  await expect(repository.save(session)).rejects.toBeInstanceOf(WrongDatabaseError);
  await expect(repository.save(session)).rejects.toEqual(refusal);
  await expect(repository.findById(liveId)).rejects.toEqual(refusal);
  await expect(repository.deleteById(liveId)).rejects.toEqual(refusal);
  await expect(repository.findByPrincipalName('ada')).rejects.toEqual(refusal);
  await expect(repository.deleteByPrincipalName('ada')).rejects.toEqual(refusal);
  await expect(repository.cleanupExpiredSessions()).rejects.toEqual(refusal);
  await expect(repository.sessionEnds.recordEnd(liveId, 'deleted')).rejects.toEqual(refusal);
  await expect((async () => {
    for await (const id of repository.scanSessionIds()) void id;
  })()).rejects.toEqual(refusal);
  await expect(repository.save(session)).rejects.toThrow(`cannot select database ${requested} (the connection is on database ${actual}`);
}

/** A session saved through a correct ioredis connection on `db`; its id. */
async function liveSession(ns: string, db: number): Promise<string> {
  const repository = new RedisIndexedSessionRepository(redis.client({ db }), { namespace: ns, cleanupCron: null });
  const session = await repository.createSession();
  session.setAttribute('user', 'ada');
  session.setAttribute('org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME', 'ada');
  await repository.save(session);
  await repository.close();
  return session.id;
}

describe('a connection that is not on the database asked for', () => {
  it('ioredis, whose SELECT 99 failed, stays on database 0: every call rejects and database 0 is untouched', async () => {
    const ns = namespace();
    const liveId = await liveSession(ns, 0);
    const before = await keysOf(ns);
    const client = new Redis(`${redis.handle.url}/99`, { maxRetriesPerRequest: 2 });
    client.on('error', () => undefined);
    toClose.push(() => client.disconnect());
    const repository = new RedisIndexedSessionRepository(client, { namespace: ns, cleanupCron: null });
    expect(repository.options.database).toBe(99);
    await expectRefusedEverywhere(repository, 99, 0, liveId);
    expect(await keysOf(ns)).toEqual(before);
    await repository.close();
  });

  it.each([
    ['node-redis 5', createClient5],
    ['node-redis 6', createClient6 as unknown as typeof createClient5],
  ] as const)('%s moved to another database behind the client\'s back: every call rejects, nothing changes', async (_name, createClient) => {
    const ns = namespace();
    const liveId = await liveSession(ns, 6);
    const before = await keysOf(ns);
    const client = createClient({ url: redis.handle.url, database: 5 });
    client.on('error', () => undefined);
    await client.connect();
    toClose.push(() => client.destroy());
    // A raw SELECT: node-redis still believes it is on database 5.
    await client.sendCommand(['SELECT', '6']);
    const repository = new RedisIndexedSessionRepository(client as unknown as RedisClient, { namespace: ns, cleanupCron: null });
    expect(repository.options.database).toBe(5);
    await expectRefusedEverywhere(repository, 5, 6, liveId);
    expect(await keysOf(ns)).toEqual(before);
    await repository.close();
  });

  it('the database option must match the connection too', async () => {
    const ns = namespace();
    const liveId = await liveSession(ns, 2);
    const repository = new RedisIndexedSessionRepository(redis.client({ db: 2 }), { namespace: ns, cleanupCron: null, database: 3 });
    await expectRefusedEverywhere(repository, 3, 2, liveId);
    await repository.close();
  });

  it.each([
    ['ioredis', async (db: number): Promise<RedisClient> => redis.client({ db })],
    ['node-redis 5', async (db: number): Promise<RedisClient> => {
      const client = createClient5({ url: redis.handle.url, database: db });
      client.on('error', () => undefined);
      await client.connect();
      toClose.push(() => client.destroy());
      return client as unknown as RedisClient;
    }],
  ] as const)('%s on the database asked for works as usual', async (_name, open) => {
    const ns = namespace();
    const repository = new RedisIndexedSessionRepository(await open(7), { namespace: ns, cleanupCron: null });
    const session = await repository.createSession();
    session.setAttribute('n', 1);
    expect(await repository.save(session)).toBe(true);
    expect((await repository.findById(session.id))?.getAttribute('n')).toBe(1);
    const found = await keysOf(ns);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((key) => key.split('/')[0]))).toEqual(new Set(['7']));
    await repository.close();
  });
});
