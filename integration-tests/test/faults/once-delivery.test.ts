// Fault 3: three listeners in 'once' delivery, one killed (SIGKILL) inside its
// handler mid-run. Every one of 5,000 events is handled exactly once across them, and the
// events the killed one held are handled by another after the lease.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/EventRecorder.js';
import { doubled, receivedOf, saveExpiringSessions, saveSentinel } from '../support/expiring-sessions.js';
import { reportFault } from '../support/fault-figures.js';
import { uniqueNamespace, useRedis } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';

const redis = useRedis({ fresh: true });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});
const LEASE_MS = 2000;

function startChild(url: string, namespace: string): { child: ChildProcess; lines: string[] } {
  const script = fileURLToPath(new URL('../support/once-listener-child.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, url, namespace, 'workers', String(LEASE_MS), '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  closers.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, lines };
}

describe('fault: a once-delivery listener dies inside its handler', () => {
  it('5,000 events are each handled exactly once by the three; the dead one\'s are taken over after the lease', async () => {
    const client = redis.client();
    const namespace = uniqueNamespace('fault3');
    const repository = await testRepository(client, { namespace, cleanupCron: '* * * * * *' });
    closers.push(() => repository.close());

    const handled: string[][] = [[], []];
    for (const mine of handled) {
      const listener = new SessionEventListener(repository, { delivery: 'once', group: 'workers', leaseMs: LEASE_MS });
      listener.on('expired', (event) => {
        mine.push(event.sessionId);
      });
      await listener.start();
      closers.push(() => listener.close());
    }
    const { child, lines } = startChild(redis.handle.url, namespace);
    await eventually(async () => lines.some((l) => l.startsWith('ready')), Boolean, 'the child listener', 10_000);

    const ids = await saveExpiringSessions(repository, 5000, 8);
    const sentinel = await saveSentinel(repository, 10);
    const expected = [...ids, sentinel];
    await eventually(async () => lines.includes('stuck'), Boolean, 'the child to get stuck in its handler', 30_000);

    // Kill it once everything it finished is acknowledged: what it still holds is only what it is stuck on.
    const stream = repository.keys.eventStreamKey;
    const childConsumer = `${child.pid}-`;
    const heldByChild = async (): Promise<string[]> => {
      const pending = (await client.xpending(stream, 'once:workers', '-', '+', 100_000)) as [string, string, number, number][];
      const entries = pending.filter(([, consumer]) => consumer.startsWith(childConsumer)).map(([id]) => id);
      const sessions: string[] = [];
      for (const id of entries) {
        const [[, fields] = ['', []]] = (await client.xrange(stream, id, id)) as [string, string[]][];
        sessions.push(fields[3] as string);
      }
      return sessions;
    };
    const finishedByChild = async (): Promise<Set<string>> => new Set(await client.lrange(`${namespace}:handled-by-child`, 0, -1));
    await eventually(
      async () => {
        const [held, finished] = await Promise.all([heldByChild(), finishedByChild()]);
        return held.length > 0 && held.every((id) => !finished.has(id));
      },
      Boolean,
      'the child to hold only unfinished events',
      10_000,
    );
    const heldAtDeath = await heldByChild();
    child.kill('SIGKILL');
    await once(child, 'exit');

    const total = async (): Promise<number> => handled[0]!.length + handled[1]!.length + (await finishedByChild()).size;
    await eventually(total, (n) => n >= 5000, '5000 handled events', 60_000);
    // Only once the sentinel (saved last, expiring last) has been handled are doubles counted.
    await eventually(async () => handled.some((mine) => mine.includes(sentinel)) || (await finishedByChild()).has(sentinel), Boolean, 'the sentinel handled', 30_000);
    const byChild = [...(await finishedByChild())];
    const all = [...handled[0]!, ...handled[1]!, ...byChild];
    const survivors = new Set([...handled[0]!, ...handled[1]!]);
    reportFault(
      'once-delivery',
      { expected: expected.length, received: receivedOf(expected, all), doubled: doubled(all) },
      `handled by listener A ${handled[0]!.length}, B ${handled[1]!.length}, by the SIGKILLed child ${byChild.length} before it died ` +
        `holding ${heldAtDeath.length}, ${heldAtDeath.filter((id) => survivors.has(id)).length} of those taken over after the ${LEASE_MS} ms lease`,
    );
    expect(doubled(all)).toBe(0);
    expect(new Set(all)).toEqual(new Set(expected));
    expect(heldAtDeath.length).toBeGreaterThan(0);
    expect(heldAtDeath.every((id) => survivors.has(id))).toBe(true);
  }, 120_000);
});
