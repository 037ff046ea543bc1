// Fault 4: on a 3+3 Redis Cluster, 10,000 sessions spread over all shards expire
// while a master fails over to its replica. Measured before (docs/redis-expiry.md
// §3): a Cluster-level subscriber heard a third of the events, and a zombie master doubled
// most. Here the listener gets each of the 10,000 once.
import { SessionEventListener } from '@lapse/events';
import { afterAll, describe, expect, it } from 'vitest';
import { EventRecorder, eventually } from '../support/EventRecorder.js';
import { doubled, receivedOf, saveExpiringSessions, saveSentinel } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { uniqueNamespace } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';
import { useCluster } from '../support/useCluster.js';

const cluster = useCluster();
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('fault: master failover on a Redis Cluster', () => {
  it('10,000 sessions over all shards expire during a failover: 10,000 expired events, none doubled', async () => {
    const client = cluster.client();
    const repository = await testRepository(client, {
      namespace: uniqueNamespace('fault4'),
      cleanupCron: '* * * * * *',
      onCleanupError: () => undefined,
    });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    const events = new EventRecorder(listener);
    await listener.start();
    closers.push(() => listener.close());

    const ids = await saveExpiringSessions(repository, 10_000, 12, 3);
    const sentinel = await saveSentinel(repository, 16);
    const expected = [...ids, sentinel];
    const shards = new Set(ids.map((id) => repository.keyspace.of(id).shard)).size;
    const victimNode = client.nodes('master')[0]!;
    const victim = Number(victimNode.options.port);
    // The deadlines of the sessions on the master about to die, from its own PEXPIRETIME (a key
    // of another master answers MOVED; one that expired already answers -2).
    const onVictim = victimNode.pipeline();
    for (const id of ids) onVictim.call('PEXPIRETIME', repository.keyspace.of(id).shadowKey(id));
    const victimDeadlines = ((await onVictim.exec()) ?? []).filter(([error]) => error === null).map(([, value]) => Number(value));
    const beforeKill = events.of('expired').length;
    await cluster.handle.killNode(victim);
    const killedAt = Date.now();
    await eventually(
      async () => {
        // The test's own ioredis client learns the new topology when asked (lapse's client may be another library's).
        await new Promise<void>((resolve) => client.refreshSlotsCache(() => resolve()));
        return client.nodes('master').map((node) => Number(node.options.port));
      },
      (ports) => ports.length === 3 && !ports.includes(victim),
      'a replica promoted in place of the killed master',
      30_000,
    );
    const failoverMs = Date.now() - killedAt;
    // The promoted replica publishes keyspace events too (the listener configured it when it appeared).
    await eventually(
      // A node the test's client has just dropped answers "Connection is closed": not configured yet, ask again.
      async () => Promise.all(client.nodes('master').map(async (node) => ((await node.config('GET', 'notify-keyspace-events').catch(() => [])) as string[])[1] ?? '')),
      (values) => values.every((value) => ['E', 'g', 'x'].every((flag) => value.includes(flag))),
      'notify-keyspace-events on every master after the failover',
      15_000,
    );

    await events.count('expired', 10_000, 90_000);
    // Only once the sentinel (saved last, expiring last) has arrived are doubles counted.
    await events.next('expired', sentinel, 60_000);
    const received = events.of('expired').map((e) => e.sessionId);
    const promotedAt = killedAt + failoverMs;
    const insideOutage = victimDeadlines.filter((d) => d >= killedAt && d <= promotedAt).length;
    // The fault happened while sessions were ending: some deadlines fell inside the failover, and
    // not every session had ended before the kill.
    expect(insideOutage).toBeGreaterThan(0);
    expect(beforeKill).toBeLessThan(10_000);
    reportFault(
      'cluster-failover',
      { expected: expected.length, received: receivedOf(expected, received), doubled: doubled(received), deadlinesInsideOutage: insideOutage },
      `10000 sessions over ${shards} shards on 3 masters, ${victimDeadlines.filter((d) => d > 0).length} of them live on master :${victim} when it was killed ` +
        `after ${beforeKill} expiries; replica promoted in ${failoverMs} ms; ${events.of('expired').filter((e) => e.session !== null).length} with their data`,
    );
    expect(doubled(received)).toBe(0);
    expect(new Set(received)).toEqual(new Set(expected));
  }, 150_000);
});
