// Fault 6: a named broadcast listener's process dies (SIGKILL, inside its handler
// of its 1,500th event, as a crashing handler would) mid-run and a new process starts under the
// same `name`. The new process has none of the old one's
// de-duplication memory, so what arrives twice is what the stream redelivers: the entries the
// old process had emitted but not yet acknowledged when it died. Every event arrives.
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/EventRecorder.js';
import { doubled, receivedOf, saveExpiringSessions, saveSentinel } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { startListenerChild } from '../support/listenerChild.js';
import { uniqueNamespace, useRedis } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';

const redis = useRedis({ fresh: true });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});
const NAME = 'restarting-listener';
const DIE_AT = 1500;

describe('fault: a named listener restarts mid-run', () => {
  it('killed inside a handler and started again under the same name: all 5,000 events arrive; exactly those it had emitted but not acknowledged arrive twice', async () => {
    const client = redis.client();
    const namespace = uniqueNamespace('fault6');
    const repository = await testRepository(client, { namespace, cleanupCron: '* * * * * *', onCleanupError: () => undefined });
    closers.push(() => repository.close());
    const track = (close: () => Promise<unknown>): void => void closers.push(close);
    const first = await startListenerChild(redis.handle.url, namespace, NAME, track, DIE_AT);
    const exited = once(first.child, 'exit');

    const ids = await saveExpiringSessions(repository, 5000, 10);
    const sentinel = await saveSentinel(repository, 12);
    const expected = [...ids, sentinel];
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    const emittedByFirst = first.expired.length;

    // What the dead consumer holds unacknowledged is what the stream hands the next one first.
    const stream = repository.keys.eventStreamKey;
    const group = `broadcast:${NAME}`;
    const pending = (await client.xpending(stream, group, '-', '+', 100_000, NAME)) as [string, string, number, number][];
    const pendingSessions: string[] = [];
    for (const [entryId] of pending) {
      const [[, fields] = ['', []]] = (await client.xrange(stream, entryId, entryId)) as [string, string[]][];
      pendingSessions.push(fields[3] as string);
    }
    const emitted = new Set(first.expired);
    const emittedNotAcked = pendingSessions.filter((id) => emitted.has(id));

    const second = await startListenerChild(redis.handle.url, namespace, NAME, track);
    await eventually(async () => second.expired.includes(sentinel), Boolean, 'the sentinel in the restarted process', 60_000);
    const all = [...first.expired, ...second.expired];
    const inBoth = second.expired.filter((id) => emitted.has(id));
    reportFault(
      'listener-restart',
      { expected: expected.length, received: receivedOf(expected, all), doubled: doubled(all) },
      `first process emitted ${emittedByFirst} then was SIGKILLed holding ${pending.length} unacknowledged entries, ` +
        `${emittedNotAcked.length} of them already emitted; the restarted process emitted ${second.expired.length}, ${inBoth.length} of them again`,
    );
    expect(doubled(first.expired)).toBe(0);
    expect(doubled(second.expired)).toBe(0);
    expect(new Set(all)).toEqual(new Set(expected));
    // At least once across a crash: the doubles are exactly the emitted-but-unacknowledged entries.
    expect(new Set(inBoth)).toEqual(new Set(emittedNotAcked));
    // It died inside a handler, before acknowledging that event: at least that one comes again.
    expect(inBoth).toContain(first.expired[DIE_AT - 1]);
  }, 120_000);
});
