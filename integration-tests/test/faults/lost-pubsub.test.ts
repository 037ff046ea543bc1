// Fault 1: subscriber connections killed every 2 s while 10,000 sessions expire
// over 20 s. Measured before (docs/redis-expiry.md §1 and §3): a 51 ms reconnect lost 260
// events. Here every listener must still get every event, once.
import { SessionEventListener } from '@lapse/events';
import { afterAll, describe, expect, it } from 'vitest';
import { EventRecorder } from '../support/EventRecorder.js';
import { doubled, receivedOf, saveExpiringSessions, saveSentinel } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { uniqueNamespace, useRedis } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';

const redis = useRedis({ fresh: true });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('fault: pub/sub connections killed', () => {
  it('10,000 sessions expiring over 20 s, subscribers killed every 2 s: 10,000 expired events per listener, none doubled', async () => {
    const client = redis.client();
    const admin = redis.client();
    const repository = await testRepository(client, {
      namespace: uniqueNamespace('fault1'),
      cleanupCron: '* * * * * *',
      onCleanupError: () => undefined,
    });
    closers.push(() => repository.close());
    const listeners = [new SessionEventListener(repository), new SessionEventListener(repository)];
    const recorders = listeners.map((listener) => new EventRecorder(listener));
    for (const listener of listeners) {
      await listener.start();
      closers.push(() => listener.close());
    }

    const ids = await saveExpiringSessions(repository, 10_000, 20);
    const sentinel = await saveSentinel(repository, 22);
    const expected = [...ids, sentinel];
    // CLIENT KILL TYPE pubsub answers how many connections it closed: on this suite's own
    // Redis the only pub/sub connections are the two listeners' subscribers.
    const replies: number[] = [];
    const killer = setInterval(() => {
      admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub').then((n) => replies.push(Number(n)), () => undefined);
    }, 2000);
    try {
      for (const recorder of recorders) await recorder.count('expired', 10_000, 60_000);
    } finally {
      clearInterval(killer);
    }
    // Only once the sentinel (saved last, expiring last) has arrived are doubles counted.
    for (const recorder of recorders) await recorder.next('expired', sentinel, 30_000);

    const killed = replies.reduce((sum, n) => sum + n, 0);
    const counts = recorders.map((recorder) => recorder.of('expired').map((e) => e.sessionId));
    counts.forEach((received, i) =>
      reportFault(`lost-pubsub listener ${i + 1}`, {
        expected: expected.length,
        received: receivedOf(expected, received),
        doubled: doubled(received),
        connectionsKilled: killed,
      }, `${replies.length} CLIENT KILLs every 2 s, replies [${replies.join(' ')}]`),
    );
    // Each kill that found the two subscribers connected closed both; at least 5 kills (10 s of
    // the 20 s of expiries) must have closed connections, or the fault did not happen.
    expect(replies.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
    expect(killed).toBeGreaterThanOrEqual(10);
    for (const received of counts) {
      expect(doubled(received)).toBe(0);
      expect(new Set(received)).toEqual(new Set(expected));
    }
  }, 150_000);
});
