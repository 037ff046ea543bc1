// An end recorded at most once per session, across processes and listener
// restarts, when concurrent saves of one session moved its deadline into different minutes.
import { SessionEventListener } from '@lapse/events';
import { afterAll, describe, expect, it } from 'vitest';
import { EventRecorder } from './support/EventRecorder.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { awaitSentinel } from './support/sentinel.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('one end per session', () => {
  it('a race of concurrent saves moving one session across minutes, then deleteById: one deleted, no expired through the sweeps, for a listener started afterwards', async () => {
    const client = redis.client();
    // The app clock 3 hours behind: every deadline the saves write (and the minute bucket it
    // names) is past by Redis's clock, so the sweeps below take every bucket at once, while the
    // shadow keys live for their full timeout.
    const clock = (): number => Date.now() - 3 * 60 * 60 * 1000;
    const repository = await testRepository(client, { namespace: uniqueNamespace('once'), cleanupCron: null, clock });
    closers.push(() => repository.close());
    const name = `late-${process.pid}`;
    // Creates the named listener's consumer group, so that the listener started after the
    // delete resumes from here.
    const early = new SessionEventListener(repository, { name });
    await early.start();
    await early.close();

    const session = await repository.createSession();
    session.setAttribute('user', 'ada');
    await repository.save(session);
    const copies = await Promise.all(Array.from({ length: 60 }, () => repository.findById(session.id)));
    copies.forEach((copy, i) => {
      if (copy === null) throw new Error('the session was not found');
      // Even copies move the deadline to another minute (the full save); odd ones touch the
      // session within the minute their process read (the lean touch).
      if (i % 2 === 0) copy.maxInactiveInterval = 600 + 60 * i;
      else copy.lastAccessedTime = copy.lastAccessedTime + 10;
      copy.setAttribute('copy', i);
    });
    const saved = await Promise.all(copies.map((copy) => repository.save(copy!)));
    expect(saved.every(Boolean)).toBe(true);
    // With minute buckets: the buckets holding the session (checked at the end).
    const filed: string[] = [];
    for (const bucket of await client.keys(`${repository.keys.bucketKeyPrefix}*`)) {
      if ((await client.smembers(bucket)).includes(`expires:${session.id}`)) filed.push(bucket);
    }

    await repository.deleteById(session.id);
    // Minutes later the hash's grace period is over and Redis has dropped it.
    await client.del(repository.keys.sessionKey(session.id));

    const listener = new SessionEventListener(repository, { name });
    const events = new EventRecorder(listener);
    await listener.start();
    closers.push(() => listener.close());
    expect((await events.next('deleted', session.id)).session?.getAttribute('user')).toBe('ada');
    // The sweeps, past every deadline the saves wrote.
    await repository.cleanupExpiredSessions();
    await repository.cleanupExpiredSessions();
    await awaitSentinel(repository, events);

    expect(events.of('deleted', session.id)).toHaveLength(1);
    expect(events.of('expired', session.id)).toHaveLength(0);
    const records = await client.xrange(repository.keys.eventStreamKey, '-', '+');
    const ends = records.filter(([, fields]) => fields[fields.indexOf('id') + 1] === session.id).map(([, fields]) => fields[fields.indexOf('type') + 1]);
    expect(ends).toEqual(['deleted']);
    expect(filed, 'buckets holding the session after the race').toHaveLength(repository.options.expirationIndex === 'minute-buckets' ? 1 : 0);
  });
});
