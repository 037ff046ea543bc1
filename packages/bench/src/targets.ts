import type { AppResult } from './measure/express-app.js';
import { CLIENT_LABELS } from './clients.js';
import type { LagResult } from './measure/event-lag.js';
import type { MemoryRow } from './measure/memory.js';
import type { CellResult, OpsResult } from './measure/ops.js';
import type { StoreMemoryRow } from './measure/store-memory.js';
import type { StoreResult } from './measure/store-requests.js';
import type { SweepResult } from './measure/sweep.js';
import * as f from './format.js';
import { lagSummary } from './lag-summary.js';
import { median } from './stats.js';

/** Everything a run measured; a stage that failed (or was not run) is `null` with its reason. */
export interface Measurements {
  ops: OpsResult | null;
  lag: LagResult[] | null;
  sweep: SweepResult[] | null;
  memory: MemoryRow[] | null;
  store: StoreResult | null;
  app: AppResult | null;
  storeMemory: StoreMemoryRow[] | null;
  failures: Partial<Record<Stage, string>>;
}

export type Stage = 'ops' | 'store' | 'app' | 'lag' | 'sweep' | 'memory';

/** The stages in the order they run. */
export const STAGES: readonly Stage[] = ['ops', 'store', 'app', 'lag', 'sweep', 'memory'];

export interface TargetResult {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  /** `null`: not measured (the stage failed or was skipped). */
  readonly pass: boolean | null;
}

export function cell(ops: OpsResult, peer: CellResult['peer'], op: CellResult['op'], concurrency: number): CellResult | undefined {
  return ops.cells.find((c) => c.peer === peer && c.op === op && c.concurrency === concurrency);
}

/**
 * lapse's throughput over the peer's: the median of the ratios of turns run back to back, so
 * that a slow stretch of a shared machine, which slows both turns of a pair, does not decide it.
 */
export function pairedRatio(lapse: Pick<CellResult, 'turnRates' | 'perSecond'>, other: Pick<CellResult, 'turnRates' | 'perSecond'>): number {
  const pairs = Math.min(lapse.turnRates.length, other.turnRates.length);
  if (pairs === 0) return lapse.perSecond / other.perSecond;
  return median(Array.from({ length: pairs }, (_, i) => (lapse.turnRates[i] as number) / (other.turnRates[i] as number)));
}

/** A ratio for a verdict: with a third decimal when two would print the threshold itself (2.10× that misses ≤ 2.1×). */
function verdictRatio(value: number, threshold: number): string {
  return f.ratio(value) === f.ratio(threshold) && value !== threshold ? `${value.toFixed(3)}×` : f.ratio(value);
}

/**
 * The floor of lapse's layout against a peer, for a target's line; when the floor itself is
 * below the target, the line says so (no client of this layout could reach it).
 */
export function floorNote(floorRatio: number, minimum: number, onOtherClient: boolean): string {
  const which = onOtherClient ? `the floor of the layout (on ${CLIENT_LABELS['node-redis']})` : 'the floor of the layout';
  const below = floorRatio < minimum ? ` (the ${f.ratio(minimum)} target lies above it)` : '';
  return `; ${which}: ${f.ratio(floorRatio)}${below}`;
}

function notMeasured(name: string, target: string, why: string | undefined): TargetResult {
  return { name, target, measured: `not measured${why === undefined ? '' : `: ${why}`}`, pass: null };
}

export function evaluateTargets(m: Measurements): TargetResult[] {
  const targets: TargetResult[] = [];

  const requestName = 'findById + delta save, concurrency 64';
  for (const [lapsePeer, client] of [
    ['lapse:ioredis', CLIENT_LABELS.ioredis],
    ['lapse:node-redis', 'node-redis 5.9'],
  ] as const) {
    for (const [peer, label, minimum] of [
      ['connect-redis', 'connect-redis get + set', 1.0],
      ['spring', 'Spring Session (Lettuce)', 3.0],
    ] as const) {
      const name = `${requestName}, lapse on ${client}, vs ${label}`;
      const target = `≥ ${minimum === 1 ? '1.0' : String(minimum)}×`;
      if (m.ops === null) {
        targets.push(notMeasured(name, target, m.failures.ops));
        continue;
      }
      const lapse = cell(m.ops, lapsePeer, 'request', 64);
      const other = cell(m.ops, peer, 'request', 64);
      if (lapse === undefined || other === undefined) {
        targets.push(notMeasured(name, target, m.ops.unavailable[lapsePeer] ?? 'concurrency 64 was not run'));
        continue;
      }
      const ratio = pairedRatio(lapse, other);
      const how = lapse.turnRates.length > 1 ? `median of ${lapse.turnRates.length} back-to-back turns; medians ` : '';
      // The floor of lapse's layout (node-redis) against the same peer: what this layout could reach.
      const floor = lapsePeer === 'lapse:node-redis' || peer === 'spring' ? cell(m.ops, 'floor', 'request', 64) : undefined;
      const floorText = floor === undefined ? '' : floorNote(pairedRatio(floor, other), minimum, lapsePeer !== 'lapse:node-redis');
      targets.push({ name, target, measured: `${verdictRatio(ratio, minimum)} (${how}${f.rate(lapse.perSecond)} vs ${f.rate(other.perSecond)}${floorText})`, pass: ratio >= minimum });
    }
  }
  targets.push(...storeTargets(m));

  const sortedTarget = 'p99 ≤ 100 ms, max ≤ 1 s, 0 missed';
  const bucketTarget = 'max ≤ 61 s, 0 missed';
  for (const [mode, name, target] of [
    ['sorted-set', 'event lag, sorted set + deadline-driven sweeper', sortedTarget],
    ['minute-buckets', 'event lag, minute buckets', bucketTarget],
  ] as const) {
    const result = m.lag?.find((r) => r.mode === mode);
    if (result === undefined || result.outcome === null) {
      targets.push(notMeasured(name, target, result?.failure ?? m.failures.lag));
      continue;
    }
    const s = lagSummary(result.outcome);
    const measured = `p99 ${s.p99Text}, max ${s.maxText}, ${f.count(s.missed)} missed`;
    const pass = mode === 'sorted-set' ? s.missed === 0 && s.p99 <= 100 && s.max <= 1000 : s.missed === 0 && s.max <= 61_000;
    targets.push({ name, target, measured: mode === 'sorted-set' ? measured : `max ${s.maxText}, ${f.count(s.missed)} missed`, pass });
  }

  const sweepName = 'sweep of the due among the live, sorted set';
  const sorted = m.sweep?.find((r) => r.kind === 'sorted-set');
  if (sorted === undefined || sorted.rounds.length === 0) {
    targets.push(notMeasured(sweepName, '≤ 250 ms', m.failures.sweep));
  } else {
    const worst = Math.max(...sorted.rounds.map((r) => r.ms));
    const allTouched = sorted.rounds.every((r) => r.touched === sorted.due);
    targets.push({
      name: `sweep of ${f.count(sorted.due)} due among ${f.count(sorted.live)} live, sorted set`,
      target: '≤ 250 ms',
      measured: `${f.ms(worst)} (slowest of ${sorted.rounds.length})${allTouched ? '' : ', not every due session was touched'}`,
      pass: worst <= 250 && allTouched,
    });
  }

  const base = m.memory?.find((r) => r.variant === 'connect-redis' && !r.cookie);
  for (const [variant, name] of [
    ['lapse-minute-buckets', 'memory per session, lapse (minute buckets) vs connect-redis'],
    ['lapse-sorted-set', 'memory per session, lapse (sorted set) vs connect-redis'],
  ] as const) {
    const row = m.memory?.find((r) => r.variant === variant && !r.cookie);
    if (row === undefined || base === undefined) {
      targets.push(notMeasured(name, '≤ 2×', m.failures.memory));
      continue;
    }
    const ratio = row.bytesPerSession / base.bytesPerSession;
    targets.push({ name, target: '≤ 2×', measured: `${f.ratio(ratio)} (${f.bytes(row.bytesPerSession)} vs ${f.bytes(base.bytesPerSession)})`, pass: ratio <= 2 });
  }
  return targets;
}

/** The store's targets: the store against the floor, the express app, memory per express session. */
function storeTargets(m: Measurements): TargetResult[] {
  const targets: TargetResult[] = [];
  for (const [peer, floor, client, minimum] of [
    ['lapse-store:node-redis', 'floor:node-redis', 'node-redis 5.9', 0.9],
    ['lapse-store:ioredis', 'floor:ioredis', CLIENT_LABELS.ioredis, 0.75],
  ] as const) {
    const name = `express-session request, LapseStore vs the floor on ${client}, worst of 4 cells`;
    const target = `≥ ${minimum}× in each`;
    const store = m.store;
    if (store === null) {
      targets.push(notMeasured(name, target, m.failures.store));
      continue;
    }
    const ratios = store.cells
      .filter((c) => c.peer === peer)
      .flatMap((c) => {
        const base = store.cells.find((o) => o.peer === floor && o.op === c.op && o.concurrency === c.concurrency);
        return base === undefined ? [] : [{ cell: c, ratio: pairedRatio(c, base) }];
      });
    if (ratios.length === 0) {
      targets.push(notMeasured(name, target, store.unavailable[peer] ?? store.unavailable[floor]));
      continue;
    }
    const worst = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    const detail = ratios.map((r) => `${r.cell.op} c${r.cell.concurrency} ${verdictRatio(r.ratio, minimum)}`).join(', ');
    targets.push({ name, target, measured: `${verdictRatio(worst.ratio, minimum)} (${detail})`, pass: ratios.length === 4 && worst.ratio >= minimum });
  }

  for (const route of ['read', 'write'] as const) {
    const name = `express app requests/s, ${route} route, LapseStore vs connect-redis (node-redis 5.9)`;
    const lapse = m.app?.cells.find((c) => c.peer === 'lapse-store' && c.route === route);
    const other = m.app?.cells.find((c) => c.peer === 'connect-redis' && c.route === route);
    if (lapse === undefined || other === undefined) {
      targets.push(notMeasured(name, '≥ 0.9×', m.failures.app));
      continue;
    }
    const ratio = pairedRatio(lapse, other);
    // The floor of lapse's layout in the same app: what a store in this layout could reach.
    const floor = m.app?.cells.find((c) => c.peer === 'floor' && c.route === route);
    const floorText = floor === undefined ? '' : `; the floor of the layout: ${f.ratio(pairedRatio(floor, other))}`;
    targets.push({ name, target: '≥ 0.9×', measured: `${verdictRatio(ratio, 0.9)} (${f.rate(lapse.perSecond)} vs ${f.rate(other.perSecond)}${floorText})`, pass: ratio >= 0.9 });
  }

  {
    // The lazy touch (touchAfter 60) on the read route, where connect-redis sends EXPIRE per request.
    const name = 'express app read route, touchAfter 60: LapseStore vs connect-redis (node-redis 5.9)';
    const lazy = m.app?.cells.find((c) => c.peer === 'lapse-store-lazy' && c.route === 'read');
    const other = m.app?.cells.find((c) => c.peer === 'connect-redis' && c.route === 'read');
    if (lazy === undefined || other === undefined) targets.push(notMeasured(name, '≥ 1.0×', m.failures.app));
    else {
      const ratio = pairedRatio(lazy, other);
      targets.push({ name, target: '≥ 1.0×', measured: `${verdictRatio(ratio, 1)} (${f.rate(lazy.perSecond)} vs ${f.rate(other.perSecond)})`, pass: ratio >= 1 });
    }
  }

  const base = m.storeMemory?.find((r) => r.variant === 'connect-redis');
  for (const [variant, label, maximum] of [
    ['lapse-store', 'no principal index', 2.1],
    ['lapse-store-principal', 'principal indexed', 3.2],
  ] as const) {
    const name = `memory per logged-in express session, LapseStore (${label}) vs connect-redis`;
    const row = m.storeMemory?.find((r) => r.variant === variant);
    if (row === undefined || base === undefined) {
      targets.push(notMeasured(name, `≤ ${maximum}×`, m.failures.memory));
      continue;
    }
    const ratio = row.bytesPerSession / base.bytesPerSession;
    targets.push({ name, target: `≤ ${maximum}×`, measured: `${verdictRatio(ratio, maximum)} (${f.bytes(row.bytesPerSession)} vs ${f.bytes(base.bytesPerSession)})`, pass: ratio <= maximum });
  }
  return targets;
}

export function resultWord(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}
