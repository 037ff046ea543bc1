import { defaultSessionIdGenerator } from '@lapse/repository/internal';
import { lapseRepositoryOn } from '../lapse-repository.js';
import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { Redis } from 'ioredis';
import { openClient, type NodeRedis5 } from '../clients.js';
import type { BenchConfig } from '../config.js';
import { fillSessions } from '../fill.js';
import { indexLabel, type IndexKind } from '../lapse-modes.js';
import type { Progress } from '../progress.js';
import { freshRedis, usedMemory } from '../redis.js';
import { attributesFor, expressCookie, inParallel, TIMEOUT_SECONDS } from '../session-data.js';
import { sleep } from '../stats.js';

export type MemoryVariant = 'connect-redis' | 'lapse-minute-buckets' | 'lapse-sorted-set';

export interface MemoryRow {
  readonly variant: MemoryVariant;
  /** With express-session's cookie object stored too (connect-redis: in the JSON; lapse: as an attribute). */
  readonly cookie: boolean;
  readonly label: string;
  readonly sessions: number;
  readonly bytesPerSession: number;
  /** `MEMORY USAGE` of one session's keys. */
  readonly sample: Readonly<Record<string, number>>;
}

const SETTLE_MS = 300;

/**
 * Redis memory per session: the `used_memory` delta (INFO memory) over `sessions` sessions
 * holding the same data, each variant alone on the same fresh Redis (FLUSHALL between), with
 * the writing connection closed before the second reading. Default key names of each library.
 */
export async function runMemory(config: BenchConfig, progress: Progress): Promise<MemoryRow[]> {
  const n = config.memory.sessions;
  const redis = await freshRedis();
  const url = redis.handle.url;
  const data = Array.from({ length: n }, (_, i) => attributesFor(i));
  const rows: MemoryRow[] = [];

  const measure = async (
    variant: MemoryVariant,
    cookie: boolean,
    label: string,
    write: () => Promise<{ keys: Record<string, string>; index?: { keys: string[]; entries: number } }>,
  ): Promise<void> => {
    progress.stage(`memory: ${label}, ${n.toLocaleString('en-US')} sessions`);
    await redis.admin.flushall();
    await sleep(SETTLE_MS);
    const before = await usedMemory(redis.admin);
    const written = await write();
    await sleep(SETTLE_MS);
    const after = await usedMemory(redis.admin);
    const sample: Record<string, number> = {};
    for (const [name, key] of Object.entries(written.keys)) sample[name] = Number(await redis.admin.memory('USAGE', key));
    if (written.index !== undefined && written.index.entries > 0) {
      let total = 0;
      for (const key of written.index.keys) total += Number(await redis.admin.memory('USAGE', key, 'SAMPLES', '0'));
      sample['index entry (average)'] = Math.round(total / written.index.entries);
    }
    rows.push({ variant, cookie, label, sessions: n, bytesPerSession: (after - before) / n, sample });
  };

  const connectRedis = (cookie: boolean) => async (): Promise<{ keys: Record<string, string> }> => {
    const opened = await openClient('node-redis', url);
    const client = opened.client as NodeRedis5;
    const store = new RedisStore({ client, ttl: TIMEOUT_SECONDS });
    const ids: string[] = [];
    const now = Date.now();
    await inParallel(n, 1000, async (i) => {
      const id = defaultSessionIdGenerator.generate();
      ids[i] = id;
      const session = cookie ? { cookie: expressCookie(now), ...data[i] } : { ...data[i] };
      await store.set(id, session as unknown as SessionData);
    });
    await opened.close();
    return { keys: { 'string key': `sess:${ids[0] as string}` } };
  };

  const lapse = (kind: IndexKind, cookie: boolean) => async (): Promise<{ keys: Record<string, string>; index: { keys: string[]; entries: number } }> => {
    const client = new Redis(url, { enableAutoPipelining: true });
    const repository = lapseRepositoryOn(client, { expirationIndex: kind, cleanupCron: null, defaultMaxInactiveInterval: TIMEOUT_SECONDS });
    const now = Date.now();
    const ids = await fillSessions(repository, { count: n, interval: () => TIMEOUT_SECONDS, attributes: (i) => (cookie ? { cookie: expressCookie(now), ...data[i] } : { ...data[i] }) });
    await repository.close();
    client.disconnect();
    const id = ids[0] as string;
    const keys = repository.keys;
    const indexKeys = kind === 'sorted-set' ? [keys.expirationSortedSetKey] : await redis.admin.keys(`${keys.bucketKeyPrefix}*`);
    let entries = 0;
    for (const key of indexKeys) entries += kind === 'sorted-set' ? await redis.admin.zcard(key) : await redis.admin.scard(key);
    return { keys: { hash: keys.sessionKey(id), 'shadow key': keys.shadowKey(id) }, index: { keys: indexKeys, entries } };
  };

  try {
    // Warm-up: load lapse's scripts (they survive FLUSHALL) and let both clients connect once.
    await lapse('minute-buckets', false)();
    await lapse('sorted-set', false)();
    await connectRedis(false)();

    await measure('connect-redis', false, 'connect-redis', connectRedis(false));
    await measure('lapse-minute-buckets', false, `lapse, ${indexLabel('minute-buckets')}`, lapse('minute-buckets', false));
    await measure('lapse-sorted-set', false, `lapse, ${indexLabel('sorted-set')}`, lapse('sorted-set', false));
    await measure('connect-redis', true, 'connect-redis + cookie', connectRedis(true));
    await measure('lapse-minute-buckets', true, `lapse, ${indexLabel('minute-buckets')} + cookie`, lapse('minute-buckets', true));
    return rows;
  } finally {
    await redis.stop();
  }
}
