import { lapseRepositoryOn } from '../lapse-repository.js';
import { Redis } from 'ioredis';
import type { BenchConfig } from '../config.js';
import { INDEX_KINDS, indexLabel, type IndexKind } from '../lapse-modes.js';
import { saveNewSession } from '../peers/lapse.js';
import type { Progress } from '../progress.js';
import { freshRedis } from '../redis.js';
import { fillSessions } from '../fill.js';
import { attributesFor, inParallel } from '../session-data.js';
import { sleep } from '../stats.js';

export interface SweepRound {
  readonly ms: number;
  readonly touched: number;
}

export interface SweepResult {
  readonly kind: IndexKind;
  readonly live: number;
  readonly due: number;
  readonly rounds: SweepRound[];
  /** Sessions per second while filling (saved through the repository, 1000 in flight). */
  readonly fillRate: number;
}

/**
 * For each index kind, on its own fresh Redis: `live - due` sessions with timeouts spread over
 * 10–30 minutes (saved through the repository, 1000 in flight, see `fill.ts`),
 * then per round `due` sessions saved through the repository with a 1 s timeout; once Redis's
 * deadline of every one has passed, one `cleanupExpiredSessions()` is timed (no schedule or
 * sweeper runs).
 */
export async function runSweep(config: BenchConfig, progress: Progress): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  const { live, due, rounds } = config.sweep;
  for (const kind of INDEX_KINDS) {
    const redis = await freshRedis();
    const client = new Redis(redis.handle.url);
    const fillClient = new Redis(redis.handle.url, { enableAutoPipelining: true });
    const options = { namespace: 'bench:sweep', expirationIndex: kind, cleanupCron: null };
    const repository = lapseRepositoryOn(client, options);
    const filler = lapseRepositoryOn(fillClient, options);
    const rawClient = new Redis(redis.handle.url);
    try {
      const label = `sweep cost, ${indexLabel(kind)}`;
      progress.stage(`${label}: saving ${live.toLocaleString('en-US')} live sessions`);
      const longLived = live - due;
      const started = performance.now();
      await fillSessions(filler, { count: longLived, interval: (i) => 600 + (i % 1200), attributes: attributesFor }, (done) =>
        progress.update(`${done.toLocaleString('en-US')}/${longLived.toLocaleString('en-US')} written`),
      );
      const fillRate = longLived / ((performance.now() - started) / 1000);
      await repository.cleanupExpiredSessions(); // loads the script; nothing is due yet
      const measured: SweepRound[] = [];
      for (let round = 1; round <= rounds; round++) {
        progress.stage(`${label}: round ${round}/${rounds}, ${due.toLocaleString('en-US')} sessions with a 1 s timeout`);
        await inParallel(due, 1000, (i) => saveNewSession(filler, longLived + round * due + i, 1));
        const savedAt = Date.now();
        await sleep(savedAt + 1000 + 150 - Date.now()); // every shadow key's deadline (its save + 1 s) has passed
        const t0 = performance.now();
        const touched = await repository.cleanupExpiredSessions();
        measured.push({ ms: performance.now() - t0, touched });
      }
      results.push({ kind, live, due, rounds: measured, fillRate });
    } finally {
      await Promise.allSettled([repository.close(), filler.close()]);
      client.disconnect();
      fillClient.disconnect();
      rawClient.disconnect();
      await redis.stop();
    }
  }
  return results;
}
