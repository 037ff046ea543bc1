// Fault 8: a Redis without persistence (no RDB, no AOF) restarted three
// times in a row, its data gone each time, while sessions end right after each restart.
// Measured before: the listener re-created its consumer group at the new stream's end (`$`) on
// NOGROUP and skipped the ends recorded in the first 0.1–1 s (lost in 6 of 12 runs). Here every
// end recorded after a restart reaches each kind of listener (unnamed broadcast, named broadcast,
// a `once` group of two) exactly once.
import { SessionEventListener } from '@lapse/events';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import { afterAll, describe, expect, it } from 'vitest';
import { doubled, receivedOf } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { eventually, uniqueNamespace, useRedis } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';

// The harness's default: `--save "" --appendonly no`; each restart also wipes the data directory.
const redis = useRedis({ fresh: true });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const RESTARTS = 3;
const ENDS_PER_RESTART = 300;
const DOWNTIME_MS = 500;
/** Bound of the wait for one restart's ends (they come within a second when nothing is lost). */
const ROUND_WAIT_MS = 15_000;

/** One delivery view: the session ids its listeners emitted `deleted` for. */
interface View {
  readonly name: string;
  readonly ids: string[];
}

describe('fault: Redis restarted without persistence', () => {
  it(`restarted ${RESTARTS} times, its data gone, while sessions end right after each restart: every end arrives at each listener (unnamed and named broadcast, a once group) exactly once`, async () => {
    const namespace = uniqueNamespace('fault7');
    const repository = await testRepository(redis.client(), { namespace, cleanupCron: null });
    closers.push(() => repository.close());

    const views: View[] = [
      { name: 'broadcast', ids: [] },
      { name: 'named broadcast', ids: [] },
      { name: 'once group', ids: [] },
    ];
    const onceCounts = [0, 0];
    const errors: Error[] = [];
    const listen = async (view: View, options: ConstructorParameters<typeof SessionEventListener>[1], counter?: number): Promise<void> => {
      const listener = new SessionEventListener(repository, options);
      listener.on('deleted', (event) => {
        view.ids.push(event.sessionId);
        if (counter !== undefined) onceCounts[counter]! += 1;
      });
      listener.on('error', (error) => errors.push(error));
      await listener.start();
      closers.push(() => listener.close());
    };
    await listen(views[0]!, {});
    await listen(views[1]!, { name: 'survivor' });
    await listen(views[2]!, { delivery: 'once', group: 'workers' }, 0);
    await listen(views[2]!, { delivery: 'once', group: 'workers' }, 1);

    const expected: string[] = [];
    const endedAfterUp: number[] = [];
    let writer: RedisIndexedSessionRepository = repository;
    let sentinel = '';
    for (let round = 0; round < RESTARTS; round++) {
      // A session saved before the restart: not found after it (the data is really gone).
      const before = await writer.createSession();
      await writer.save(before);

      await redis.handle.restart({ wipeData: true, downtimeMs: DOWNTIME_MS });
      const upAt = Date.now();
      // A new connection, so the ends are recorded as soon as Redis is back, while the
      // listeners' connections are still reconnecting.
      const fresh = await testRepository(redis.client(), { namespace, cleanupCron: null });
      closers.push(() => fresh.close());
      writer = fresh;
      const end = async (): Promise<string> => {
        const session = await fresh.createSession();
        await fresh.save(session);
        await fresh.deleteById(session.id);
        endedAfterUp.push(Date.now() - upAt);
        return session.id;
      };
      // One end at once, then the rest together (their scripts are loaded again: Redis lost them too).
      const ids = [await end()];
      ids.push(...(await Promise.all(Array.from({ length: ENDS_PER_RESTART - 1 }, end))));
      expect(await writer.findById(before.id)).toBeNull();
      expected.push(...ids);
      if (round === RESTARTS - 1) {
        // The sentinel: ended last, after everything else.
        const last = await writer.createSession();
        await writer.save(last);
        await writer.deleteById(last.id);
        sentinel = last.id;
        expected.push(sentinel);
      }
      // This restart's ends, before the next restart (a bounded wait: what is missing is counted below).
      const all = new Set(expected);
      await eventually(async () => views.every((view) => receivedOf([...all], view.ids) === all.size), Boolean, `round ${round + 1}'s ends`, ROUND_WAIT_MS).catch(
        () => undefined,
      );
    }
    // Only once the sentinel (ended last) has arrived at every view are doubles counted.
    await eventually(async () => views.every((view) => view.ids.includes(sentinel)), Boolean, 'the sentinel at every listener', 30_000).catch(() => undefined);

    const figures = views.map((view) => ({ view: view.name, received: receivedOf(expected, view.ids), doubled: doubled(view.ids) }));
    reportFault(
      'restart-without-persistence',
      {
        expected: expected.length * views.length,
        received: figures.reduce((sum, f) => sum + f.received, 0),
        doubled: figures.reduce((sum, f) => sum + f.doubled, 0),
      },
      `${RESTARTS} restarts (${DOWNTIME_MS} ms down, data wiped), ${ENDS_PER_RESTART} ends after each recorded ${Math.min(...endedAfterUp)} to ` +
        `${Math.max(...endedAfterUp)} ms after Redis answered again, plus the sentinel; ` +
        figures.map((f) => `${f.view} ${f.received} of ${expected.length} (doubled ${f.doubled})`).join(', ') +
        ` (once: ${onceCounts.join(' + ')}); ${errors.length} errors reported`,
    );
    for (const view of views) {
      expect({ view: view.name, lost: expected.length - receivedOf(expected, view.ids), doubled: doubled(view.ids) }).toEqual({ view: view.name, lost: 0, doubled: 0 });
    }
  }, 180_000);
});
