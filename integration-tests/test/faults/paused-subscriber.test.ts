// Fault 7: the subscriber's process is paused (SIGSTOP) for longer than Redis's
// pub/sub output-buffer limit allows, so Redis closes its subscriber connection and every
// message queued for it is gone; then it is resumed (SIGCONT). Every expired event still
// arrives (from the stream), none twice.
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/EventRecorder.js';
import { doubled, receivedOf, saveSentinel } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { startListenerChild } from '../support/listenerChild.js';
import { uniqueNamespace, useRedis } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';

const redis = useRedis({ fresh: true });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});
const SESSIONS = 3000;
/** Each session's created message (which carries its data) is over 1 KB: 3 MB for a paused subscriber. */
const PADDING = 'x'.repeat(1024);

/** Ids of the pub/sub connections Redis holds. */
async function pubsubClients(admin: ReturnType<typeof redis.client>): Promise<string[]> {
  const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  return list.split('\n').map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1]).filter((id): id is string => id !== undefined);
}

describe('fault: the subscriber process paused past the pub/sub output-buffer limit', () => {
  it('3,000 sessions expire while it is stopped and Redis drops its subscriber: after SIGCONT all arrive from the stream, none twice', async () => {
    const client = redis.client();
    const admin = redis.client();
    const namespace = uniqueNamespace('fault7');
    const repository = await testRepository(client, { namespace, cleanupCron: '* * * * * *', onCleanupError: () => undefined });
    closers.push(() => repository.close());
    const listener = await startListenerChild(redis.handle.url, namespace, 'paused-listener', (close) => void closers.push(close));
    // On this suite's own Redis the only pub/sub connection is the child's subscriber.
    const subscribers = await pubsubClients(admin);
    expect(subscribers).toHaveLength(1);
    // A small limit so it triggers quickly: closed at once above 64 kB, or above 32 kB for 1 s.
    await admin.config('SET', 'client-output-buffer-limit', 'pubsub 64kb 32kb 1');

    listener.child.kill('SIGSTOP');
    const pausedAt = Date.now();
    const save = (count: number, timeoutOf: (n: number) => number): Promise<string[]> =>
      Promise.all(
        Array.from({ length: count }, async (_, n) => {
          const session = await repository.createSession();
          session.maxInactiveInterval = timeoutOf(n);
          session.setAttribute('n', n);
          session.setAttribute('padding', PADDING);
          await repository.save(session);
          return session.id;
        }),
      );
    // Flood the paused subscriber with created messages (long-lived sessions, 500 at a time)
    // until Redis closes it: the process cannot have closed it itself.
    let flood = 0;
    for (;;) {
      const live = await pubsubClients(admin);
      if (!subscribers.some((id) => live.includes(id))) break;
      if (flood >= 40_000) throw new Error(`Redis kept the paused subscriber after ${flood} created messages`);
      flood += (await save(500, () => 600)).length;
    }
    // Now the sessions whose ends must arrive: their created messages have no subscriber to reach.
    const ids: string[] = [];
    for (let start = 0; start < SESSIONS; start += 500) ids.push(...(await save(500, (n) => 1 + (n % 3))));
    // Every session ends while the process is still paused.
    const stream = repository.keys.eventStreamKey;
    await eventually(() => client.xlen(stream), (n) => n >= SESSIONS, `${SESSIONS} session ends recorded in the stream`, 30_000);
    const sentinel = await saveSentinel(repository, 2);
    const expected = [...ids, sentinel];
    listener.child.kill('SIGCONT');
    const pausedMs = Date.now() - pausedAt;
    const emittedWhilePaused = listener.expired.length;

    // Only once the sentinel (saved last, expiring last) has arrived are doubles counted.
    await eventually(async () => listener.expired.includes(sentinel), Boolean, 'the sentinel after the resume', 60_000);
    const received = listener.expired;
    reportFault(
      'paused-subscriber',
      { expected: expected.length, received: receivedOf(expected, received), doubled: doubled(received), connectionsKilled: subscribers.length },
      `paused ${pausedMs} ms; Redis closed its subscriber on the pubsub limit 64kb/32kb/1s after ${flood} created messages of 1 kB; expired events emitted before the resume ${emittedWhilePaused}; ` +
        `created events (pub/sub only) received ${receivedOf(ids, listener.created)} of ${SESSIONS}`,
    );
    expect(emittedWhilePaused).toBe(0);
    // The fault bit: pub/sub lost every message published after Redis closed the subscriber.
    expect(receivedOf(ids, listener.created)).toBe(0);
    expect(doubled(received)).toBe(0);
    expect(new Set(received)).toEqual(new Set(expected));
  }, 120_000);
});
