// The listener with each Node Redis client, on a single Redis: node-redis 5 and 6 (RESP2 and
// RESP3) as well as ioredis 6. created, deleted and expired arrive once each, proven with a
// Sentinel session deleted last. And start() refuses a connection on another database.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { RedisIndexedSessionRepository, WrongDatabaseError, type RedisClient } from '@lapse/repository';
import { EventRecorder, eventually, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { Redis } from 'ioredis';
import { createClient as createClient5 } from 'redis';
import { createClient as createClient6 } from 'redis6';
import { afterEach, describe, expect, it } from 'vitest';

const redis = useRedis();
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

/** node-redis 5 and 6 (6's factory typed as 5's: the calls made here are the same in both). */
const NODE_REDIS = [
  { major: 5, createClient: createClient5 },
  { major: 6, createClient: createClient6 as unknown as typeof createClient5 },
] as const;

/** A connected client of each library and protocol, closed after the test. */
const CLIENTS: readonly { name: string; connect(url: string): Promise<RedisClient> }[] = [
  ...([2, 3] as const).flatMap((resp) =>
    NODE_REDIS.map(({ major, createClient }) => ({
      name: `node-redis ${major} RESP${resp}`,
      async connect(url: string): Promise<RedisClient> {
        const client = createClient({ url, RESP: resp });
        client.on('error', () => undefined);
        await client.connect();
        closers.push(async () => client.destroy());
        return client as unknown as RedisClient;
      },
    })),
  ),
  {
    name: 'ioredis 6',
    async connect(url: string): Promise<RedisClient> {
      const client = new Redis(url, { maxRetriesPerRequest: 2 });
      client.on('error', () => undefined);
      closers.push(async () => client.disconnect());
      return client;
    },
  },
];

/**
 * Starts `listener` and proves, on `repository`, that created, deleted and expired arrive once
 * each: a sentinel session, saved and deleted last, shows nothing more follows.
 */
async function expectEachEventOnce(repository: RedisIndexedSessionRepository, listener: SessionEventListener): Promise<void> {
  const events = new EventRecorder<SessionEvent>(listener);
  await listener.start();
  closers.push(() => listener.close());

  const created = await repository.createSession();
  created.setAttribute('user', 'ada');
  await repository.save(created);
  expect((await events.next('created', created.id)).session?.getAttribute('user')).toBe('ada');

  const deleted = await repository.createSession();
  await repository.save(deleted);
  await repository.deleteById(deleted.id, { reason: 'logout' });
  expect((await events.next('deleted', deleted.id)).reason).toBe('logout');

  const expiring = await repository.createSession();
  expiring.maxInactiveInterval = 1;
  expiring.setAttribute('user', 'grace');
  await repository.save(expiring);
  expect((await events.next('expired', expiring.id, 5000)).session?.getAttribute('user')).toBe('grace');

  // Nothing more for these sessions: the sentinel, saved and deleted last, arrives after anything they could still cause.
  const sentinel = await repository.createSession();
  await repository.save(sentinel);
  // Its created message (pub/sub) comes behind any created message before it; its deleted event
  // (the stream) behind any session end recorded before it.
  await events.next('created', sentinel.id);
  await repository.deleteById(sentinel.id);
  await events.next('deleted', sentinel.id);
  for (const session of [created, deleted, expiring]) {
    const kinds = events.events.filter((e) => e.event.sessionId === session.id).map((e) => e.name);
    const expected = session === created ? ['created'] : session === deleted ? ['created', 'deleted', 'destroyed'] : ['created', 'expired', 'destroyed'];
    expect(kinds).toEqual(expected);
  }
  expect(events.errors).toEqual([]);
}

describe.each(CLIENTS)('SessionEventListener on $name, single Redis', (variant) => {
  it('created, deleted and expired arrive, once each (sentinel)', async () => {
    const client = await variant.connect(redis.handle.url);
    const repository = new RedisIndexedSessionRepository(client, { namespace: uniqueNamespace('clients'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    await expectEachEventOnce(repository, listener);
  });
});

describe.each(CLIENTS)('subscriber and reader options given a $name client', (variant) => {
  it('the listener subscribes and reads on duplicates of it: created, deleted and expired arrive, once each (sentinel)', async () => {
    const client = await variant.connect(redis.handle.url);
    const repository = new RedisIndexedSessionRepository(redis.client(), { namespace: uniqueNamespace('options'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository, { subscriber: client, reader: client });
    await expectEachEventOnce(repository, listener);
  });
});

describe('SessionEventListener on a connection that is not on its database', () => {
  it('start() fails with WrongDatabaseError naming both databases, and nothing is read', async () => {
    // ioredis reports SELECT 99's error on its 'error' event and carries on, on database 0.
    const client = new Redis(redis.handle.url, { db: 99, maxRetriesPerRequest: 2 });
    client.on('error', () => undefined);
    closers.push(async () => client.disconnect());
    const repository = new RedisIndexedSessionRepository(client, { namespace: uniqueNamespace('wrong-db'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    const failure = listener.start();
    await expect(failure).rejects.toThrow(WrongDatabaseError);
    await expect(failure).rejects.toMatchObject({ requestedDatabase: 99, actualDatabase: 0 });
    const admin = redis.client();
    expect(await admin.exists(repository.keys.eventStreamKey)).toBe(0);
  });
});

describe('a reader option on another database than the repository', () => {
  it('start() fails with InvalidArgumentError naming the reader', async () => {
    const reader = createClient5({ url: redis.handle.url, database: 1 });
    reader.on('error', () => undefined);
    await reader.connect();
    closers.push(async () => reader.destroy());
    const repository = new RedisIndexedSessionRepository(redis.client(), { namespace: uniqueNamespace('reader-db'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository, { reader: reader as unknown as RedisClient });
    await expect(listener.start()).rejects.toMatchObject({ name: 'InvalidArgumentError', message: expect.stringMatching(/reader.*database 0.*database 1/) });
  });
});

/**
 * A listener whose consumer group is lost. An admin connection loses the
 * group (or the whole stream, as a Redis restarted without persistence does) and writes a
 * session end in the same MULTI, so the record is there before the listener can notice.
 */
describe.each(CLIENTS)('a lost consumer group, on $name', (variant) => {
  const lose = {
    'the stream and its group (a restart without persistence): the new stream is read from its beginning': (stream: string) => ['DEL', stream],
    'the group alone (XGROUP DESTROY): re-created right after the last record read, so nothing read is read again': (stream: string, group: string) => ['XGROUP', 'DESTROY', stream, group],
  };
  it.each(Object.entries(lose))('%s; the end recorded meanwhile arrives, once (sentinel)', async (_, command) => {
    const client = await variant.connect(redis.handle.url);
    const repository = new RedisIndexedSessionRepository(client, { namespace: uniqueNamespace('lost-group'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository, { name: 'keeper' });
    const events = new EventRecorder<SessionEvent>(listener);
    await listener.start();
    closers.push(() => listener.close());
    const end = async (): Promise<string> => {
      const session = await repository.createSession();
      await repository.save(session);
      await repository.deleteById(session.id);
      return session.id;
    };
    const first = await end();
    await events.next('deleted', first);

    // The session-end record's fields, as the repository's scripts write them (no session data).
    const meanwhile = (await repository.createSession()).id;
    const record = ['type', 'deleted', 'id', meanwhile, 'reason', '', 'hash', '[]', 'readable', '1', 'indexes', '[]'];
    const admin = redis.client();
    const stream = repository.keys.eventStreamKey;
    // The listener's in-memory de-duplication would hide a record read again: watch its XACKs instead.
    await eventually(async () => ((await admin.xpending(stream, 'broadcast:keeper')) as [number])[0], (n) => n === 0, 'the first end acknowledged');
    const [[firstRecord]] = (await admin.xrange(stream, '-', '+')) as [[string, string[]]];
    const acknowledged: string[] = [];
    const monitor = await redis.client().monitor();
    monitor.on('monitor', (_time: string, argv: string[]) => {
      if (argv[0]?.toUpperCase() === 'XACK') acknowledged.push(argv[3] as string);
    });
    closers.push(async () => monitor.disconnect());
    const [name, ...args] = command(stream, 'broadcast:keeper');
    await admin.multi().call(name!, ...args).xadd(stream, '*', ...record).exec();
    await events.next('deleted', meanwhile, 10_000);

    const sentinel = await end();
    await events.next('deleted', sentinel);
    expect(events.of('deleted').map((event) => event.sessionId)).toEqual([first, meanwhile, sentinel]);
    await eventually(async () => acknowledged.length, (n) => n >= 2, 'the two later ends acknowledged');
    expect(acknowledged).not.toContain(firstRecord);
  });
});
