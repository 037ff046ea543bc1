// The bench's pass/miss decisions on given figures, without Redis: each target's threshold (met
// exactly is a pass), the paired ratio of back-to-back turns, and "not measured" with its reason.
import { describe, expect, it } from 'vitest';
import type { LagResult } from '../../src/measure/event-lag.js';
import type { CellResult, OpsResult } from '../../src/measure/ops.js';
import type { StoreResult } from '../../src/measure/store-requests.js';
import { evaluateTargets, pairedRatio, resultWord, type Measurements, type TargetResult } from '../../src/targets.js';

/** A throughput cell with the fields the targets read. */
const opsCell = (peer: string, perSecond: number, turnRates: number[] = [], op = 'request', concurrency = 64): CellResult =>
  ({ peer, op, concurrency, perSecond, turnRates }) as unknown as CellResult;

const nothing = (failures: Measurements['failures'] = {}): Measurements => ({ ops: null, lag: null, sweep: null, memory: null, store: null, app: null, storeMemory: null, failures });

/** The one target whose name includes `part`. */
function target(targets: readonly TargetResult[], part: string): TargetResult {
  const found = targets.filter((t) => t.name.includes(part));
  expect(found.map((t) => t.name)).toHaveLength(1);
  return found[0] as TargetResult;
}

const lag = (mode: 'sorted-set' | 'minute-buckets', lags: number[], missed = 0): LagResult =>
  ({ mode, failure: null, outcome: { mode, live: 0, due: lags.length + missed, lags, missed, capMs: 120_000, duplicates: 0, unexpected: 0, listenerErrors: 0 } }) as LagResult;

describe('pairedRatio', () => {
  it('takes the median of the turn-by-turn ratios, not the ratio of the medians', () => {
    expect(pairedRatio({ perSecond: 100, turnRates: [100, 300, 100] }, { perSecond: 100, turnRates: [50, 100, 100] })).toBe(2);
    expect(pairedRatio({ perSecond: 90, turnRates: [] }, { perSecond: 30, turnRates: [] })).toBe(3);
  });
});

describe('evaluateTargets', () => {
  it('says "not measured" with the stage\'s failure for every target when nothing ran', () => {
    const targets = evaluateTargets(nothing({ ops: 'no Java', lag: 'lag broke', sweep: 'sweep broke', memory: 'memory broke', store: 'store broke', app: 'app broke' }));
    expect(targets.length).toBeGreaterThan(10);
    for (const t of targets) {
      expect(t.pass).toBeNull();
      expect(t.measured).toMatch(/^not measured: (no Java|lag broke|sweep broke|memory broke|store broke|app broke)$/);
    }
    expect(target(targets, 'lapse on ioredis 6, vs Spring').measured).toBe('not measured: no Java');
  });

  it('passes a request ratio that meets its target exactly, misses one just below, and prints the third decimal that decides', () => {
    const ops = (ratio: number): Measurements => ({
      ...nothing(),
      ops: { cells: [opsCell('lapse:ioredis', 300 * ratio), opsCell('spring', 300), opsCell('connect-redis', 300 * ratio)], redisVersion: '7', unavailable: { 'lapse:node-redis': 'not built' }, springVersions: null } as unknown as OpsResult,
    });
    const met = evaluateTargets(ops(3));
    expect(target(met, 'lapse on ioredis 6, vs Spring').pass).toBe(true);
    expect(target(met, 'lapse on ioredis 6, vs connect-redis').pass).toBe(true);
    const missed = target(evaluateTargets(ops(2.999)), 'lapse on ioredis 6, vs Spring');
    expect(missed.pass).toBe(false);
    expect(missed.measured).toMatch(/^2\.999× /);
    expect(target(met, 'lapse on node-redis 5.9, vs Spring')).toMatchObject({ pass: null, measured: 'not measured: not built' });
  });

  it('notes the floor of the layout, and when the target lies above it', () => {
    const m: Measurements = {
      ...nothing(),
      ops: { cells: [opsCell('lapse:node-redis', 500), opsCell('floor', 600), opsCell('spring', 200)], redisVersion: '7', unavailable: {}, springVersions: null } as unknown as OpsResult,
    };
    const t = target(evaluateTargets(m), 'lapse on node-redis 5.9, vs Spring');
    expect(t.pass).toBe(false);
    expect(t.measured).toContain('the floor of the layout: 3.00×');
    expect(t.measured).not.toContain('lies above it');
    const low = { ...m, ops: { ...m.ops, cells: [opsCell('lapse:node-redis', 500), opsCell('floor', 500), opsCell('spring', 200)] } as OpsResult };
    expect(target(evaluateTargets(low), 'lapse on node-redis 5.9, vs Spring').measured).toContain('the floor of the layout: 2.50× (the 3.00× target lies above it)');
  });

  it('judges event lag: the sorted set by p99, max and none missed; the buckets by max and none missed', () => {
    const sortedPass = [...Array.from({ length: 99 }, () => 100), 1000];
    const judged = (results: LagResult[]): TargetResult[] => evaluateTargets({ ...nothing(), lag: results });
    expect(target(judged([lag('sorted-set', sortedPass)]), 'sorted set + deadline').pass).toBe(true);
    expect(target(judged([lag('sorted-set', [...Array.from({ length: 98 }, () => 100), 101, 101])]), 'sorted set + deadline').pass).toBe(false);
    expect(target(judged([lag('sorted-set', [...Array.from({ length: 99 }, () => 10), 1001])]), 'sorted set + deadline').pass).toBe(false);
    expect(target(judged([lag('sorted-set', Array.from({ length: 99 }, () => 10), 1)]), 'sorted set + deadline').pass).toBe(false);
    expect(target(judged([lag('minute-buckets', [5, 61_000])]), 'event lag, minute buckets').pass).toBe(true);
    expect(target(judged([lag('minute-buckets', [5, 61_001])]), 'event lag, minute buckets').pass).toBe(false);
    expect(target(judged([lag('minute-buckets', [5], 1)]), 'event lag, minute buckets').pass).toBe(false);
  });

  it('judges the sweep by its slowest round, and only when every round touched every due session', () => {
    const sweep = (ms: number[], touched = 10): Measurements => ({ ...nothing(), sweep: [{ kind: 'sorted-set', live: 100, due: 10, fillRate: 1, rounds: ms.map((m) => ({ ms: m, touched })) }] } as unknown as Measurements);
    expect(target(evaluateTargets(sweep([100, 250])), 'sweep of').pass).toBe(true);
    expect(target(evaluateTargets(sweep([100, 251])), 'sweep of').pass).toBe(false);
    const partial = target(evaluateTargets(sweep([100], 9)), 'sweep of');
    expect(partial.pass).toBe(false);
    expect(partial.measured).toContain('not every due session was touched');
  });

  it('judges memory per session against connect-redis (≤ 2×), the store\'s per variant (≤ 2.1×, ≤ 3.2×)', () => {
    const m = {
      ...nothing(),
      memory: [
        { variant: 'connect-redis', cookie: false, bytesPerSession: 100 },
        { variant: 'lapse-minute-buckets', cookie: false, bytesPerSession: 200 },
        { variant: 'lapse-sorted-set', cookie: false, bytesPerSession: 201 },
      ],
      storeMemory: [
        { variant: 'connect-redis', bytesPerSession: 100 },
        { variant: 'lapse-store', bytesPerSession: 211 },
        { variant: 'lapse-store-principal', bytesPerSession: 320 },
      ],
    } as unknown as Measurements;
    const targets = evaluateTargets(m);
    expect(target(targets, 'lapse (minute buckets) vs connect-redis').pass).toBe(true);
    expect(target(targets, 'lapse (sorted set) vs connect-redis').pass).toBe(false);
    expect(target(targets, 'LapseStore (no principal index)').pass).toBe(false);
    expect(target(targets, 'LapseStore (principal indexed)').pass).toBe(true);
  });

  it('judges the store against the floor by its worst cell, and only with all 4 cells', () => {
    const cells = (ratios: number[]): StoreResult => ({
      unavailable: {},
      cells: ratios.flatMap((ratio, i) => [opsCell('lapse-store:node-redis', 1000 * ratio, [], `op${i}`, 8), opsCell('floor:node-redis', 1000, [], `op${i}`, 8)]),
    }) as unknown as StoreResult;
    const judged = (ratios: number[]): TargetResult => target(evaluateTargets({ ...nothing(), store: cells(ratios) }), 'the floor on node-redis 5.9');
    expect(judged([1, 0.9, 1.2, 0.95]).pass).toBe(true);
    expect(judged([1, 0.89, 1.2, 0.95]).pass).toBe(false);
    expect(judged([1, 1, 1]).pass).toBe(false);
    expect(judged([]).pass).toBeNull();
  });

  it('judges the express app routes (≥ 0.9×) and the lazy touch on the read route (≥ 1.0×)', () => {
    const app = (lapse: number, lazy: number): Measurements => ({
      ...nothing(),
      app: { connections: 8, cells: [
        { peer: 'lapse-store', route: 'read', perSecond: lapse, turnRates: [] },
        { peer: 'lapse-store', route: 'write', perSecond: lapse, turnRates: [] },
        { peer: 'lapse-store-lazy', route: 'read', perSecond: lazy, turnRates: [] },
        { peer: 'connect-redis', route: 'read', perSecond: 1000, turnRates: [] },
        { peer: 'connect-redis', route: 'write', perSecond: 1000, turnRates: [] },
      ] },
    } as unknown as Measurements);
    expect(target(evaluateTargets(app(900, 1000)), 'read route, LapseStore').pass).toBe(true);
    expect(target(evaluateTargets(app(900, 1000)), 'touchAfter 60').pass).toBe(true);
    expect(target(evaluateTargets(app(899, 999)), 'write route').pass).toBe(false);
    expect(target(evaluateTargets(app(899, 999)), 'touchAfter 60').pass).toBe(false);
  });
});

describe('resultWord', () => {
  it('says PASS, MISS or n/a', () => {
    expect([true, false, null].map(resultWord)).toEqual(['PASS', 'MISS', 'n/a']);
  });
});
