// Many instances sweeping share the work (Spring #899), and a session's end keeps its data for a
// listener that reads it long after the 300 s grace (or that was away): the record carries it.
import { SessionEventListener } from '@lapse/events';
import { PRINCIPAL_NAME_INDEX_NAME } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { EventRecorder, eventually } from './support/EventRecorder.js';
import { saveExpiringSessions } from './support/expiring-sessions.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();

describe('sweeping from many instances', () => {
  it('ten instances sweeping at once touch each due key once', async () => {
    const namespace = uniqueNamespace('many');
    const instances = await Promise.all(Array.from({ length: 10 }, () => testRepository(redis.client(), { namespace, cleanupCron: null })));
    const ids = await saveExpiringSessions(instances[0]!, 500, 1, 1);
    let touched = 0;
    await eventually(
      async () => {
        const counts = await Promise.all(instances.map((instance) => instance.cleanupExpiredSessions()));
        touched += counts.reduce((a, b) => a + b, 0);
        return touched;
      },
      (n) => n >= ids.length,
      'every due key touched',
      10_000,
    );
    expect(touched).toBe(ids.length);
    await Promise.all(instances.map((instance) => instance.close()));
  });
});

describe('a listener that was away', () => {
  it('resumes by name and gets every end with its data, though the hashes are long gone', async () => {
    const client = redis.client();
    const repository = await testRepository(client, { namespace: uniqueNamespace('away'), cleanupCron: null });
    const first = new SessionEventListener(repository, { name: 'billing' });
    await first.start();
    await first.close();

    const ids = await saveExpiringSessions(repository, 50, 1, 1);
    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'away-user');
    await repository.save(session);
    await repository.deleteById(session.id, { reason: 'logout' });
    await eventually(() => repository.cleanupExpiredSessions().then(() => client.xlen(repository.keys.eventStreamKey)), (n) => n === 51, '51 recorded ends', 10_000);
    // The grace period is long over: the session data is gone from Redis.
    for (const id of [...ids, session.id]) await client.del(repository.keyspace.of(id).sessionKey(id));

    const again = new SessionEventListener(repository, { name: 'billing' });
    const events = new EventRecorder(again);
    await again.start();
    await events.count('expired', 50, 10_000);
    const deleted = await events.next('deleted', session.id);
    expect(deleted.reason).toBe('logout');
    expect(deleted.session?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBe('away-user');
    expect(events.of('expired').every((e) => typeof e.session?.getAttribute('n') === 'number')).toBe(true);
    await again.close();
    await repository.close();
  });
});
