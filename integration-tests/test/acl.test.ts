// The README's ACL for a restricted user is enough for everything lapse does.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SessionEventListener } from '@lapse/events';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { EventRecorder, eventually } from './support/EventRecorder.js';
import { useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
const root = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('README ACL', () => {
  it('a user with exactly that ACL can store, find, delete, sweep and receive every event', async () => {
    const readme = await readFile(`${root}README.md`, 'utf8');
    const line = /```text\n(ACL SETUSER lapse [^\n]+)\n```/.exec(readme)?.[1];
    expect(line).toBeDefined();
    const user = `lapse-acl-${process.pid}`;
    const words = (line as string).split(' ').slice(2).map((w) => (w === '>change-me' ? '>s3cret' : w));
    const admin = redis.client();
    await admin.call('ACL', 'SETUSER', user, ...words.slice(1));
    cleanups.push(() => admin.call('ACL', 'DELUSER', user));

    const client = new Redis(redis.handle.url, { username: user, password: 's3cret', maxRetriesPerRequest: 2 });
    cleanups.push(async () => client.disconnect());
    const repository = await testRepository(client, { cleanupCron: null });
    const listener = new SessionEventListener(repository);
    cleanups.push(() => listener.close());
    const events = new EventRecorder(listener);
    await listener.start();

    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'acl-user');
    await repository.save(session);
    await events.next('created', session.id);
    const loaded = (await repository.findById(session.id))!;
    loaded.setAttribute('x', 1);
    loaded.changeSessionId();
    await repository.save(loaded);
    expect((await repository.findByPrincipalName('acl-user')).size).toBe(1);

    const short = await repository.createSession();
    short.maxInactiveInterval = 1;
    await repository.save(short);
    // The sweep or the listener's fast path (whichever comes first) records the end.
    await eventually(
      async () => {
        await repository.cleanupExpiredSessions();
        return events.of('expired', short.id).length;
      },
      (n) => n === 1,
      'expiry as the restricted user',
      5000,
    );

    await repository.deleteById(loaded.id);
    await events.next('deleted', loaded.id);
    expect(events.errors).toEqual([]);
  });
});
