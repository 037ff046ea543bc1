import type { BenchConfig } from '../config.js';
import type { Progress } from '../progress.js';
import { freshRedis } from '../redis.js';
import { inParallel } from '../session-data.js';
import { openStorePeer, STORE_PEER_LABELS, STORE_PEERS, type StorePeer, type StorePeerName } from '../stores/store-peers.js';
import { expressSessionId, loggedInSession, storeRequest, storeSet } from '../stores/store-calls.js';
import { measureCell, type TurnResult } from './cell.js';
import { rotate } from './ops.js';

/** get + set of a changed session, or get + touch of an unchanged one. */
export type StoreOp = 'set' | 'touch';

export const STORE_OPS: readonly { readonly name: StoreOp; readonly label: string }[] = [
  { name: 'set', label: 'get + set (changed)' },
  { name: 'touch', label: 'get + touch (unchanged)' },
];

export interface StoreCell extends TurnResult {
  readonly peer: StorePeerName;
  readonly op: StoreOp;
  readonly concurrency: number;
  /** Throughput of every turn, in the order the rounds ran (turn k of two peers ran in the same round). */
  readonly turnRates: readonly number[];
}

export interface StoreResult {
  readonly cells: StoreCell[];
  readonly unavailable: Partial<Record<StorePeerName, string>>;
}

/**
 * The express-session request section: each peer's Store API driven as express-session drives
 * it (callbacks, its `createSession`, `req.session.touch()`), logged-in sessions with the same
 * data for every peer, all on one fresh Redis (`notify-keyspace-events Egx`), peers taking
 * turns cell by cell, the first of a round rotating. Loop w of a cell only uses sessions
 * w, w + c, w + 2c…, so no session is in two requests at once.
 */
export async function runStoreRequests(config: BenchConfig, progress: Progress): Promise<StoreResult> {
  const { concurrencies, warmupMs, durationMs, rounds, poolSize } = config.store;
  const redis = await freshRedis();
  const peers: StorePeer[] = [];
  const unavailable: Partial<Record<StorePeerName, string>> = {};
  try {
    await redis.admin.config('SET', 'notify-keyspace-events', 'Egx');
    for (const name of STORE_PEERS) {
      try {
        peers.push(await openStorePeer(name, redis.handle.url, { namespace: `bench:${name.replace(':', '-')}`, principal: true }));
      } catch (error) {
        unavailable[name] = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      }
    }
    progress.stage('express-session request: preparing sessions');
    const pools = new Map<StorePeerName, string[]>();
    for (const peer of peers) {
      progress.update(`${STORE_PEER_LABELS[peer.name]}: ${poolSize.toLocaleString('en-US')} logged-in sessions`);
      const ids = Array.from({ length: poolSize }, expressSessionId);
      await inParallel(poolSize, 128, (i) => storeSet(peer.store, ids[i] as string, loggedInSession(i)));
      pools.set(peer.name, ids);
    }

    const cells: StoreCell[] = [];
    let counter = 0;
    let step = 0;
    const total = STORE_OPS.length * concurrencies.length * rounds * peers.length;
    for (const { name: op, label } of STORE_OPS) {
      for (const concurrency of concurrencies) {
        const turns = new Map<StorePeer, TurnResult[]>(peers.map((peer) => [peer, []]));
        const loops = new Map(
          peers.map((peer) => {
            const ids = pools.get(peer.name) as string[];
            const usable = ids.length - (ids.length % concurrency);
            const next = Array.from({ length: concurrency }, (_, w) => w);
            const loop = async (worker: number): Promise<boolean> => {
              const index = next[worker] as number;
              next[worker] = (index + concurrency) % usable;
              const change = op === 'set' ? (counter++).toString(16).padStart(32, '0') : null;
              await storeRequest(peer.store, ids[index] as string, change);
              return true;
            };
            return [peer, loop] as const;
          }),
        );
        for (let round = 1; round <= rounds; round++) {
          for (const peer of rotate(peers, round - 1)) {
            step += 1;
            progress.stage(`express-session request ${step}/${total}: ${label}, ${STORE_PEER_LABELS[peer.name]}, concurrency ${concurrency}${rounds > 1 ? `, turn ${round}/${rounds}` : ''}`);
            turns.get(peer)?.push(await measureCell(redis.admin, concurrency, warmupMs, durationMs, loops.get(peer) as (worker: number) => Promise<boolean>));
          }
        }
        for (const peer of peers) {
          const all = turns.get(peer) ?? [];
          const median = all.slice().sort((a, b) => a.perSecond - b.perSecond)[Math.floor(all.length / 2)];
          if (median !== undefined) cells.push({ peer: peer.name, op, concurrency, ...median, turnRates: all.map((t) => t.perSecond) });
        }
      }
    }
    return { cells, unavailable };
  } finally {
    await Promise.allSettled(peers.map((peer) => peer.close()));
    await redis.stop();
  }
}
