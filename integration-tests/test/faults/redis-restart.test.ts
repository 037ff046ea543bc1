// Fault 2: Redis (AOF on) stopped for 5 s and restarted while 5,000 sessions expire.
// Measured before (docs/redis-expiry.md §1 and §3): a restart dropped every event of the
// downtime. Here the sessions' deadlines are aimed at the downtime (and counted there from
// their own PEXPIRETIME), all 5,000 arrive after the restart, none twice, and the keyspace
// setting is re-applied (Spring #1030).
import { SessionEventListener } from '@lapse/events';
import { afterAll, describe, expect, it } from 'vitest';
import { EventRecorder, eventually } from '../support/EventRecorder.js';
import { doubled, receivedOf, saveExpiringSessions, saveSentinel } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { uniqueNamespace, useRedis } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';
import { acceptsConnections } from '../support/acceptsConnections.js';

const redis = useRedis({ fresh: true, args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const SESSIONS = 5000;
const DOWNTIME_MS = 5000;
/** Time given to the saves before the planned stop (they take about a second here). */
const SAVE_BUDGET_MS = 4000;

describe('fault: Redis restart', () => {
  it('stopped for 5 s while 5,000 sessions expire: most deadlines fall inside the outage, all 5,000 expired events arrive after the restart, none twice', async () => {
    const client = redis.client();
    const repository = await testRepository(client, {
      namespace: uniqueNamespace('fault2'),
      cleanupCron: '* * * * * *',
      onCleanupError: () => undefined,
    });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository, { name: 'restart-survivor' });
    const events = new EventRecorder(listener);
    await listener.start();
    closers.push(() => listener.close());

    // Aim each deadline at 0.5 to 4.5 s after the planned stop: a timeout (whole seconds) is
    // chosen just before each save so that the deadline lands in its quarter of that span.
    const plannedStop = Date.now() + SAVE_BUDGET_MS;
    const secondsUntil = (at: number): number => Math.max(1, Math.ceil((at - Date.now()) / 1000));
    const ids = await saveExpiringSessions(repository, SESSIONS, 0, 0, (n) => secondsUntil(plannedStop + 500 + (n % 4) * 1000));
    // Saved last, expiring last: 3 s after the planned restart.
    const sentinel = await saveSentinel(repository, secondsUntil(plannedStop + DOWNTIME_MS + 3000));
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.call('PEXPIRETIME', repository.keys.shadowKey(id));
    const deadlines = ((await pipeline.exec()) ?? []).map(([, value]) => Number(value));
    expect(deadlines.every((d) => d > 0)).toBe(true);

    // The fault is scheduled, not an outcome waited for: stop Redis at the planned moment.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, plannedStop - Date.now())));
    const stopRequested = Date.now();
    const restarted = redis.handle.restart({ downtimeMs: DOWNTIME_MS });
    // The outage begins when the server refuses connections (it has exited) and ends when it answers PING again.
    while (await acceptsConnections(redis.handle)) await new Promise((resolve) => setTimeout(resolve, 5));
    const downAt = Date.now();
    const before = receivedOf(ids, events.of('expired').map((e) => e.sessionId));
    await restarted;
    const upAt = Date.now();
    const atRestart = receivedOf(ids, events.of('expired').map((e) => e.sessionId));
    const beforeOutage = deadlines.filter((d) => d < downAt).length;
    const insideOutage = deadlines.filter((d) => d >= downAt && d <= upAt).length;
    const afterOutage = deadlines.length - beforeOutage - insideOutage;

    await events.count('expired', SESSIONS, 60_000);
    // Only once the sentinel (saved last, expiring last) has arrived are doubles counted.
    await events.next('expired', sentinel, 30_000);
    const received = events.of('expired').map((e) => e.sessionId);
    const withData = events.of('expired').filter((e) => e.session?.getAttribute('n') !== undefined).length;
    reportFault(
      'redis-restart',
      { expected: SESSIONS + 1, received: receivedOf([...ids, sentinel], received), doubled: doubled(received), deadlinesInsideOutage: insideOutage },
      `Redis down ${upAt - downAt} ms (stop requested ${downAt - stopRequested} ms earlier); deadlines before/inside/after the outage ` +
        `${beforeOutage}/${insideOutage}/${afterOutage}; expired events before the outage ${before}, by the restart ${atRestart}, ` +
        `after it ${SESSIONS - atRestart}; ${withData} with their data`,
    );
    // Most deadlines (at least 90 %) fall while Redis is down.
    expect(insideOutage).toBeGreaterThanOrEqual(SESSIONS * 0.9);
    // Nothing arrives while Redis is down: every session still live at the stop has its event after the restart.
    expect(atRestart).toBe(before);
    expect(doubled(received)).toBe(0);
    expect(new Set(received)).toEqual(new Set([...ids, sentinel]));
    expect(withData).toBe(SESSIONS);

    const admin = redis.client();
    await eventually(
      async () => ((await admin.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '',
      (value) => ['E', 'g', 'x'].every((flag) => value.includes(flag)),
      'notify-keyspace-events re-applied after the restart',
    );
  }, 120_000);
});
