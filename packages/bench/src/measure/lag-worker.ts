/**
 * One event-lag measurement in its own process (so that what the other modes do at the same
 * time does not delay its events), on its own fresh Redis: `node lag-worker.js MODE CONFIG`.
 *
 * It saves `live - due` long-lived sessions, reports `ready`, and on `go` saves the `due`
 * sessions so that their deadlines fall evenly over the window. Each deadline is what Redis
 * holds for the shadow key (PEXPIRETIME). The lag of a session is the time its `expired` event
 * reached the handler minus that deadline, on the same host clock.
 */
import { SessionEventListener } from '@lapse/events';
import { startRedis, type RedisHandle } from '@lapse/redis-harness';
import type { RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import { lapseRepositoryOn } from '../lapse-repository.js';
import { Redis } from 'ioredis';
import { saveNewSession } from '../peers/lapse.js';
import { fillSessions } from '../fill.js';
import { attributesFor } from '../session-data.js';
import { preciseNow, sleep } from '../stats.js';
import type { LagConfig, LagMode, LagOutcome, ParentMessage, WorkerMessage } from './lag-protocol.js';

const NAMESPACE = 'bench:lag';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

/** The repository options of a mode; `sweeping: false` for the connection that only fills. */
function options(mode: LagMode, config: LagConfig, sweeping: boolean): RedisIndexedSessionRepositoryOptions {
  const onCleanupError = (error: Error): void => void send({ type: 'error', message: `cleanup failed: ${error.message}` });
  switch (mode) {
    case 'untouched':
      return { namespace: NAMESPACE, cleanupCron: null, onCleanupError };
    case 'minute-buckets':
      return { namespace: NAMESPACE, cleanupCron: sweeping ? config.bucketCron : null, onCleanupError };
    case 'sorted-set':
      // The default cleanupCron turns the deadline-driven sweeper on.
      return { namespace: NAMESPACE, expirationIndex: 'sorted-set', cleanupCron: sweeping ? undefined : null, onCleanupError };
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2] as LagMode;
  const config = JSON.parse(process.argv[3] ?? '{}') as LagConfig;
  let handle: RedisHandle | null = null;
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    cleanups.length = 0;
    await handle?.stop();
    handle = null;
  };
  process.once('disconnect', () => void stopAll().finally(() => process.exit(1)));
  try {
    handle = await startRedis({ fresh: true });
    const redis = new Redis(handle.url);
    const fillRedis = new Redis(handle.url, { enableAutoPipelining: true });
    cleanups.push(() => redis.disconnect(), () => fillRedis.disconnect());
    const repository = lapseRepositoryOn(redis, options(mode, config, true));
    cleanups.push(() => repository.close());

    // Filled before the listener starts: the saves' created events reach no subscriber, as a fill in Lua sent none.
    const longLived = config.live - config.due;
    const filler = lapseRepositoryOn(fillRedis, options(mode, config, false));
    cleanups.push(() => filler.close());
    await fillSessions(filler, { count: longLived, interval: () => config.longLivedInterval, attributes: attributesFor }, (done) => {
      if (done % 10_000 === 0 || done === longLived) void send({ type: 'progress', phase: 'saving long-lived sessions', received: done, due: longLived });
    });

    const dueIds = new Set<string>();
    const arrivals = new Map<string, number>();
    const pubsubArrivals = new Map<string, number>();
    let duplicates = 0;
    let unexpected = 0;
    let listenerErrors = 0;
    const listener = new SessionEventListener(repository);
    listener.on('expired', ({ sessionId }) => {
      const at = preciseNow();
      if (!dueIds.has(sessionId)) unexpected += 1;
      else if (arrivals.has(sessionId)) duplicates += 1;
      else arrivals.set(sessionId, at);
    });
    listener.on('error', () => {
      listenerErrors += 1;
    });
    await listener.start();
    cleanups.push(() => listener.close());
    if (mode === 'untouched') {
      const subscriber = redis.duplicate();
      cleanups.push(() => subscriber.disconnect());
      subscriber.on('message', (_channel: string, key: string) => {
        const at = preciseNow();
        const id = repository.keyspace.sessionIdOfShadowKey(key);
        if (id !== null && dueIds.has(id) && !pubsubArrivals.has(id)) pubsubArrivals.set(id, at);
      });
      await subscriber.subscribe(repository.keys.expiredChannel);
    }

    const go = new Promise<ParentMessage>((resolve) => process.once('message', (m) => resolve(m as ParentMessage)));
    await send({ type: 'ready' });
    const { startAt } = await go;
    // Session i is due at startAt + lead + i * spacing. Timeouts are whole seconds, so each is
    // saved within the first second after startAt, at the fraction of a second its deadline needs.
    const spacing = config.windowMs / config.due;
    const plan = Array.from({ length: config.due }, (_, i) => {
      const dueAt = startAt + config.leadMs + i * spacing;
      const seconds = Math.floor((dueAt - startAt) / 1000);
      return { i, seconds, saveAt: dueAt - seconds * 1000 };
    }).sort((a, b) => a.saveAt - b.saveAt);
    const deadlines = new Map<string, number>();
    const saving: Promise<void>[] = [];
    for (const { i, seconds, saveAt } of plan) {
      const wait = saveAt - Date.now();
      if (wait >= 1) await sleep(wait);
      saving.push(
        (async () => {
          const savedAt = Date.now();
          const id = await saveNewSession(repository, config.live + i, seconds);
          dueIds.add(id);
          const held = Number(await redis.call('PEXPIRETIME', repository.keys.shadowKey(id)));
          deadlines.set(id, held > 0 ? held : savedAt + seconds * 1000);
        })(),
      );
    }
    await Promise.all(saving);
    const lastDeadline = Math.max(...deadlines.values());
    const endAt = lastDeadline + config.capMs;
    const received = mode === 'untouched' ? pubsubArrivals : arrivals;
    while (Date.now() < endAt && received.size < config.due) {
      await send({ type: 'progress', phase: 'waiting for events', received: received.size, due: config.due });
      await sleep(Math.min(500, endAt - Date.now()));
    }
    await send({ type: 'progress', phase: 'done', received: received.size, due: config.due });

    const lagsOf = (from: Map<string, number>): { lags: number[]; missed: number } => {
      const lags: number[] = [];
      let missed = 0;
      for (const [id, deadline] of deadlines) {
        const at = from.get(id);
        if (at === undefined || at - deadline > config.capMs) missed += 1;
        else lags.push(at - deadline);
      }
      return { lags: lags.sort((a, b) => a - b), missed };
    };
    const main = lagsOf(received);
    const outcome: LagOutcome = {
      mode,
      live: config.live,
      due: config.due,
      lags: main.lags,
      missed: main.missed,
      capMs: config.capMs,
      duplicates,
      unexpected,
      listenerErrors,
      ...(mode === 'untouched' ? (({ lags, missed }) => ({ listenerLags: lags, listenerMissed: missed }))(lagsOf(arrivals)) : {}),
    };
    await stopAll();
    await send({ type: 'result', outcome });
  } catch (error) {
    await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    await stopAll();
    process.exitCode = 1;
  }
  process.disconnect?.();
}

await main();
