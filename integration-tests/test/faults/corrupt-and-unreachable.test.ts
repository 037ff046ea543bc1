// Fault 5: corrupt data in Redis and an unreachable Redis.
import { SessionEventListener } from '@lapse/events';
import { CorruptSessionDataError, RedisCommandError, RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { EventRecorder, eventually } from '../support/EventRecorder.js';
import { doubled, receivedOf } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { uniqueNamespace, useRedis } from '../support/redis.js';
import { awaitSentinel } from '../support/sentinel.js';
import { testRepository } from '../support/testRepository.js';
import { acceptsConnections } from '../support/acceptsConnections.js';

const redis = useRedis({ fresh: true, args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('fault: corrupt data', () => {
  it('each kind of corruption makes findById reject naming the id; the listener reports it and keeps delivering', async () => {
    const client = redis.client();
    const repository = await testRepository(client, { namespace: uniqueNamespace('corrupt'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    const events = new EventRecorder(listener);
    await listener.start();
    closers.push(() => listener.close());
    const keys = repository.keys;

    const corruptions: [string, (id: string) => Promise<unknown>][] = [
      ['hash of the wrong type', async (id) => { await client.del(keys.sessionKey(id)); await client.set(keys.sessionKey(id), 'x'); }],
      ['missing creationTime', (id) => client.hdel(keys.sessionKey(id), 'creationTime')],
      ['invalid JSON', (id) => client.hset(keys.sessionKey(id), 'sessionAttr:a', '{"unterminated')],
      ['non-number time', (id) => client.hset(keys.sessionKey(id), 'lastAccessedTime', '"yesterday"')],
      ['only delta fields', async (id) => { await client.del(keys.sessionKey(id)); await client.hset(keys.sessionKey(id), 'lastAccessedTime', '1'); }],
    ];
    const outcomes: string[] = [];
    const expectedDeleted: string[] = [];
    for (const [what, corrupt] of corruptions) {
      const session = await repository.createSession();
      expectedDeleted.push(session.id);
      session.setAttribute('a', 1);
      await repository.save(session);
      await corrupt(session.id);
      const error = await repository.findById(session.id).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(CorruptSessionDataError);
      expect(error, what).toMatchObject({ sessionId: session.id });
      await repository.deleteById(session.id);
      const deleted = await events.next('deleted', session.id);
      expect(deleted.session, what).toBeNull();
      outcomes.push(`${what}: ${(error as Error).name}`);
    }
    const healthy = await repository.createSession();
    expectedDeleted.push(healthy.id);
    healthy.setAttribute('a', 'fine');
    await repository.save(healthy);
    await repository.deleteById(healthy.id);
    expect((await events.next('deleted', healthy.id)).session?.getAttribute('a')).toBe('fine');
    const reported = events.errors.filter((e) => e instanceof CorruptSessionDataError).length;
    // Only once a sentinel has arrived are the deleted events counted (none twice).
    await awaitSentinel(repository, events);
    const deletedIds = events.of('deleted').map((e) => e.sessionId).filter((id) => expectedDeleted.includes(id));
    reportFault(
      'corrupt-data',
      { expected: expectedDeleted.length, received: receivedOf(expectedDeleted, deletedIds), doubled: doubled(deletedIds) },
      `${reported} corrupt sessions reported on 'error'`,
    );
    expect(doubled(deletedIds)).toBe(0);
    expect(new Set(deletedIds)).toEqual(new Set(expectedDeleted));
    console.log(`fault 5a: ${outcomes.join('; ')}; listener reported ${reported} corrupt sessions and delivered ${events.of('deleted').length} deleted events`);
    expect(reported).toBe(corruptions.length);
  });
});

describe('fault: Redis unreachable', () => {
  it('calls fail within commandTimeoutMs with a typed error, nothing is half-written, and service resumes', async () => {
    const client = new Redis(redis.handle.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    closers.push(async () => client.disconnect());
    const repository = await testRepository(client, {
      namespace: uniqueNamespace('down'),
      cleanupCron: null,
      commandTimeoutMs: 300,
    });
    closers.push(() => repository.close());
    const session = await repository.createSession();
    session.setAttribute('first', 1);
    await repository.save(session);

    const listener = new SessionEventListener(repository);
    await listener.start();

    const restarted = redis.handle.restart({ downtimeMs: 3000 });
    // Wait until the server is really gone (a TCP connection is refused).
    while (await acceptsConnections(redis.handle)) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    const findError = await repository.findById(session.id).catch((e: unknown) => e);
    const findMs = Date.now() - started;
    // Calls started at different times each get their own commandTimeoutMs.
    const timedOutAfter = async (): Promise<number> => {
      const at = Date.now();
      await repository.findById(session.id).catch(() => undefined);
      return Date.now() - at;
    };
    const earlier = timedOutAfter();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = timedOutAfter();
    const staggered = await Promise.all([earlier, later]);
    session.setAttribute('second', 2);
    session.setAttribute('third', 3);
    const saveError = await repository.save(session).catch((e: unknown) => e);
    // A listener closed while Redis is away (its connections waiting to reconnect) still closes.
    const closing = Date.now();
    await listener.close();
    const closeMs = Date.now() - closing;
    expect(findError).toBeInstanceOf(RedisCommandError);
    expect(findError).toMatchObject({ command: 'HGETALL', sessionId: session.id });
    // Sent as the connection drops: ioredis keeps it and it times out; node-redis fails the
    // commands it had in flight at once ("Socket closed unexpectedly", or "read ECONNRESET" when
    // the server's end of the socket was reset rather than closed). Either way a typed error,
    // within the bound; the staggered calls below, sent while Redis is away, time out.
    expect((findError as Error).message).toMatch(/commandTimeoutMs|Socket closed unexpectedly|ECONNRESET/);
    expect(saveError).toBeInstanceOf(RedisCommandError);
    // Kept: these bounds check a bounded failure, not speed. Redis is down for 3 s; a call must
    // fail after its own commandTimeoutMs (300 ms), not sooner, and not wait for the reconnect
    // (which would take 3 s or more).
    for (const ms of staggered) {
      expect(ms).toBeGreaterThanOrEqual(295);
      expect(ms).toBeLessThan(1500);
    }

    await restarted;
    // Service resumes by itself once the client has reconnected (its own backoff)...
    const resumedAfter = Date.now();
    const after = await eventually(
      () => repository.findById(session.id).catch(() => null),
      (found) => found !== null,
      'the repository to answer again',
      10_000,
    );
    const resumeMs = Date.now() - resumedAfter;
    // ...and the timed-out save either ran whole or not at all.
    const names = after!.getAttributeNames().sort();
    expect([['first'], ['first', 'second', 'third']]).toContainEqual(names);
    expect(after).not.toBeNull();
    expect(await repository.save(session)).toBe(true);
    expect((await repository.findById(session.id))!.getAttributeNames().sort()).toEqual(['first', 'second', 'third']);
    reportFault('redis-unreachable', { expected: 0, received: 0, doubled: 0 }, `Redis down 3000 ms; calls rejected after ${staggered.join(' and ')} ms (commandTimeoutMs 300)`);
    console.log(`fault 5b: Redis down 3000 ms; a listener closed meanwhile in ${closeMs} ms; findById rejected after ${findMs} ms (commandTimeoutMs 300) with ${(findError as Error).name}, two more started 150 ms apart after ${staggered.join(" and ")} ms each; calls succeeded again ${resumeMs} ms after the restart; the session held [${names.join(', ')}] and the next save stored all three`);
  }, 120_000);
});
