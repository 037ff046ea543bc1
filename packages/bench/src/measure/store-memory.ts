import type { LapseStore } from '@lapse/express-session';
import type { BenchConfig } from '../config.js';
import type { Progress } from '../progress.js';
import { freshRedis, usedMemory } from '../redis.js';
import { inParallel } from '../session-data.js';
import { sleep } from '../stats.js';
import { expressSessionId, loggedInSession, storeSet } from '../stores/store-calls.js';
import { openStorePeer } from '../stores/store-peers.js';

export type StoreMemoryVariant = 'connect-redis' | 'lapse-store' | 'lapse-store-principal';

export const STORE_MEMORY_LABELS: Readonly<Record<StoreMemoryVariant, string>> = {
  'connect-redis': 'connect-redis 10',
  'lapse-store': 'LapseStore, no principal index',
  'lapse-store-principal': 'LapseStore, principal indexed',
};

export interface StoreMemoryRow {
  readonly variant: StoreMemoryVariant;
  readonly sessions: number;
  readonly bytesPerSession: number;
  /** `MEMORY USAGE` of one session's keys, and its hash's encoding (lapse). */
  readonly sample: Readonly<Record<string, number>>;
  readonly encoding: string | null;
}

const SETTLE_MS = 300;

/**
 * Redis memory per logged-in express session (cookie, user, csrf token, locale) written
 * through each store's `set`, as express-session calls it: the `used_memory` delta over
 * `sessions`, each variant alone on the same fresh Redis (FLUSHALL between), default server
 * settings and each store's default key names. LapseStore runs on ioredis here (the layout
 * does not depend on the client), connect-redis on node-redis 5.9.
 */
export async function runStoreMemory(config: BenchConfig, progress: Progress): Promise<StoreMemoryRow[]> {
  const n = config.storeMemory.sessions;
  const redis = await freshRedis();
  const rows: StoreMemoryRow[] = [];
  const measure = async (variant: StoreMemoryVariant, warmUp: boolean): Promise<void> => {
    if (!warmUp) progress.stage(`memory of an express session: ${STORE_MEMORY_LABELS[variant]}, ${n.toLocaleString('en-US')} sessions`);
    await redis.admin.flushall();
    await sleep(warmUp ? 0 : SETTLE_MS);
    const before = await usedMemory(redis.admin);
    const namespace = variant === 'connect-redis' ? 'sess' : 'spring:session';
    const peer = await openStorePeer(variant === 'connect-redis' ? 'connect-redis' : 'lapse-store:ioredis', redis.handle.url, { namespace, principal: variant === 'lapse-store-principal' });
    const count = warmUp ? 10 : n;
    const ids = Array.from({ length: count }, expressSessionId);
    try {
      await inParallel(count, 256, (i) => storeSet(peer.store, ids[i] as string, loggedInSession(i)));
    } finally {
      await peer.close();
    }
    if (warmUp) return;
    await sleep(SETTLE_MS);
    const after = await usedMemory(redis.admin);
    const id = ids[0] as string;
    const sample: Record<string, number> = {};
    let encoding: string | null = null;
    if (variant === 'connect-redis') {
      sample['string key'] = Number(await redis.admin.memory('USAGE', `sess:${id}`));
    } else {
      const keys = (peer.store as LapseStore).repository.keys;
      sample['hash'] = Number(await redis.admin.memory('USAGE', keys.sessionKey(id)));
      sample['shadow key'] = Number(await redis.admin.memory('USAGE', keys.shadowKey(id)));
      encoding = String(await redis.admin.object('ENCODING', keys.sessionKey(id)));
    }
    rows.push({ variant, sessions: n, bytesPerSession: (after - before) / n, sample, encoding });
  };
  try {
    // Warm-up: load lapse's scripts (they survive FLUSHALL) and let both clients connect once.
    for (const variant of ['connect-redis', 'lapse-store-principal'] as const) await measure(variant, true);
    for (const variant of ['connect-redis', 'lapse-store', 'lapse-store-principal'] as const) await measure(variant, false);
    return rows;
  } finally {
    await redis.stop();
  }
}
