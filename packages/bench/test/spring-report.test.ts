// The real Spring in `pnpm bench` without Redis or a JVM: the driver's line protocol, the main
// table's two Spring columns, the target's line with the floor of the layout, and the exit code
// and line when java or mvn is missing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QUICK } from '../src/config.js';
import type { CellResult, OpName, OpsResult } from '../src/measure/ops.js';
import type { PeerName } from '../src/peers/OpsPeer.js';
import { DriverProtocolError, driverRequestLine, parseDriverReply, versionsText } from '../src/peers/spring-protocol.js';
import { buildTables, renderText } from '../src/report/tables.js';
import { evaluateTargets, floorNote, type Measurements } from '../src/targets.js';

const READY = '{"ok":true,"ready":true,"versions":{"springBoot":"3.5.7","springSession":"3.5.3","springDataRedis":"3.5.5","lettuce":"6.6.0.RELEASE/643bd47","java":"17.0.15"}}';

describe('the Spring driver line protocol', () => {
  it('reads the ready line with the versions Spring runs on', () => {
    const reply = parseDriverReply(READY);
    expect(reply).toEqual({ kind: 'ready', versions: { springBoot: '3.5.7', springSession: '3.5.3', springDataRedis: '3.5.5', lettuce: '6.6.0.RELEASE/643bd47', java: '17.0.15' } });
    if (reply.kind !== 'ready') throw new Error('not ready');
    expect(versionsText(reply.versions)).toBe('Spring Boot 3.5.7 (Spring Session 3.5.3, Spring Data Redis 3.5.5, Lettuce 6.6.0), Java 17.0.15');
  });

  it('reads a turn as a TurnResult, the JVM CPU in the client CPU field, NaN latencies of an empty turn', () => {
    const line = '{"ok":true,"turn":{"ops":2156,"seconds":0.81,"perSecond":2661.5,"p50":19.3,"p99":106.7,"max":118.6,"exhausted":false,"clientCpuUs":584.4,"redisCpuUs":37.9}}';
    expect(parseDriverReply(line)).toEqual({
      kind: 'turn',
      turn: { ops: 2156, seconds: 0.81, perSecond: 2661.5, p50: 19.3, p99: 106.7, max: 118.6, exhausted: false, nodeCpuUs: 584.4, redisCpuUs: 37.9 },
    });
    const empty = parseDriverReply('{"ok":true,"turn":{"ops":0,"seconds":0.8,"perSecond":0,"p50":"NaN","p99":"NaN","max":"NaN","exhausted":true,"clientCpuUs":"NaN","redisCpuUs":"NaN"}}');
    expect(empty.kind === 'turn' && Number.isNaN(empty.turn.p50) && empty.turn.exhausted).toBe(true);
  });

  it('reads an acknowledgement and a failure', () => {
    expect(parseDriverReply('{"ok":true}')).toEqual({ kind: 'done' });
    expect(parseDriverReply('{"ok":false,"error":"IllegalStateException: Spring: session x not found"}')).toEqual({ kind: 'error', error: 'IllegalStateException: Spring: session x not found' });
  });

  it('refuses a line that is not the protocol, naming what is wrong', () => {
    expect(() => parseDriverReply('12:00:01.123 INFO Started SpringDriver')).toThrow(DriverProtocolError);
    expect(() => parseDriverReply('{"ready":true}')).toThrow(/no "ok"/);
    expect(() => parseDriverReply('{"ok":true,"ready":true,"versions":{"springBoot":"3.5.7"}}')).toThrow(/"springSession" is not a string/);
    expect(() => parseDriverReply('{"ok":true,"turn":{"ops":1,"seconds":1,"perSecond":1,"p50":1,"p99":1,"max":1,"exhausted":false,"redisCpuUs":1}}')).toThrow(/"clientCpuUs" is not a number/);
    expect(() => parseDriverReply('{"ok":true,"turn":{"ops":1,"exhausted":"no"}}')).toThrow(/"exhausted" is not a boolean/);
  });

  it('writes one JSON request per line', () => {
    expect(driverRequestLine({ cmd: 'cell', op: 'delete', concurrency: 64, warmupMs: 250, durationMs: 800, sessions: 5000, warmupSessions: 500 })).toBe(
      '{"cmd":"cell","op":"delete","concurrency":64,"warmupMs":250,"durationMs":800,"sessions":5000,"warmupSessions":500}\n',
    );
    expect(driverRequestLine({ cmd: 'quit' })).toBe('{"cmd":"quit"}\n');
  });
});

/** A cell whose every turn ran at `rates` ops/s. */
function cellOf(peer: PeerName, op: OpName, concurrency: number, rates: number[]): CellResult {
  const sorted = [...rates].sort((a, b) => a - b);
  const perSecond = sorted[Math.floor(sorted.length / 2)] as number;
  return { peer, op, concurrency, ops: perSecond, seconds: 1, perSecond, p50: 1, p99: 2, max: 3, exhausted: false, nodeCpuUs: 10, redisCpuUs: 5, turnRates: rates };
}

/** Every peer of the main table at findById + delta save, concurrency 64 (and 1), with the floor. */
function measurements(rates: Partial<Record<PeerName, number[]>>): Measurements {
  const cells: CellResult[] = [];
  for (const [peer, turns] of Object.entries(rates) as [PeerName, number[]][]) for (const concurrency of [1, 64]) cells.push(cellOf(peer, 'request', concurrency, turns));
  const ops: OpsResult = { cells, redisVersion: '8.0.0', unavailable: {}, springVersions: 'Spring Boot 3.5.7 (Spring Session 3.5.3, Spring Data Redis 3.5.5, Lettuce 6.6.0), Java 17.0.15' };
  return { ops, store: null, app: null, lag: null, sweep: null, memory: null, storeMemory: null, failures: {} };
}

describe('the real Spring in the report', () => {
  const base = { 'lapse:ioredis': [30_000, 31_000, 29_000], 'lapse:node-redis': [33_000, 34_000, 32_000], 'connect-redis': [30_000, 30_000, 30_000], 'spring-sequence': [11_000, 11_000, 11_000] };

  it('the Spring target is on the real Spring; the floor ratio is printed, and said to lie below a target above it', () => {
    // Spring at 12,000/s: lapse 2.75× (nr) and 2.5× (io, the median of 29/12, 30/12, 31/12); the floor at 30,000/s is 2.5× Spring, below 3×.
    const targets = evaluateTargets(measurements({ ...base, spring: [12_000, 12_000, 12_000], floor: [30_000, 30_000, 30_000] }));
    const nr = targets.find((t) => t.name === 'findById + delta save, concurrency 64, lapse on node-redis 5.9, vs Spring Session (Lettuce)');
    const io = targets.find((t) => t.name === 'findById + delta save, concurrency 64, lapse on ioredis 6, vs Spring Session (Lettuce)');
    expect(nr).toEqual({
      name: 'findById + delta save, concurrency 64, lapse on node-redis 5.9, vs Spring Session (Lettuce)',
      target: '≥ 3×',
      measured: '2.75× (median of 3 back-to-back turns; medians 33,000/s vs 12,000/s; the floor of the layout: 2.50× (the 3.00× target lies above it))',
      pass: false,
    });
    expect(io?.measured).toBe('2.50× (median of 3 back-to-back turns; medians 30,000/s vs 12,000/s; the floor of the layout (on node-redis 5.9): 2.50× (the 3.00× target lies above it))');
    expect(targets.some((t) => t.name.includes('Spring sequence'))).toBe(false);
  });

  it('a floor above the target is printed without the remark', () => {
    const targets = evaluateTargets(measurements({ ...base, spring: [8_000, 8_000, 8_000], floor: [40_000, 40_000, 40_000] }));
    const nr = targets.find((t) => t.name.endsWith('lapse on node-redis 5.9, vs Spring Session (Lettuce)'));
    expect(nr?.measured).toBe('4.13× (median of 3 back-to-back turns; medians 33,000/s vs 8,000/s; the floor of the layout: 5.00×)');
    expect(nr?.pass).toBe(true);
    expect(floorNote(2.5, 3, false)).toBe('; the floor of the layout: 2.50× (the 3.00× target lies above it)');
    expect(floorNote(3, 3, true)).toBe('; the floor of the layout (on node-redis 5.9): 3.00×');
  });

  it('the main table has the real Spring and, beside it, the replayed sequence; the ratios are against the real Spring', () => {
    const m = measurements({ ...base, spring: [10_000, 10_000, 10_000], floor: [40_000, 40_000, 40_000] });
    const text = renderText(buildTables(m, QUICK)[0] as ReturnType<typeof buildTables>[number]);
    expect(text).toMatch(/^operation +conc\. +lapse \(ioredis 6\) +lapse \(node-redis 5\.9\) +connect-redis +Spring Session \(Lettuce\) +Spring sequence \(replayed on ioredis\) +io ÷ CR +nr ÷ CR +io ÷ Spring +nr ÷ Spring$/m);
    expect(text).toMatch(/^findById \+ delta save +64 +30,000\/s · 1\.00\/2\.00 +33,000\/s · 1\.00\/2\.00 +30,000\/s · 1\.00\/2\.00 +10,000\/s · 1\.00\/2\.00 +11,000\/s · 1\.00\/2\.00 +1\.00× +1\.10× +3\.00× +3\.30×$/m);
    expect(text).toContain('Spring Session (Lettuce): Spring Boot 3.5.7 (Spring Session 3.5.3, Spring Data Redis 3.5.5, Lettuce 6.6.0), Java 17.0.15; ÷ Spring is against it, not the replayed sequence.');
  });
});

describe('pnpm bench without java or mvn', () => {
  it('exits 3 before measuring, with one line saying what is missing', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const emptyPath = mkdtempSync(join(tmpdir(), 'lapse-bench-path-'));
    try {
      const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [main, '--quick', '--only', 'ops'], { env: { ...process.env, PATH: emptyPath }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
      });
      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toBe('bench: the real Spring (packages/bench/spring-driver) needs java (17+) and mvn on the PATH: java and mvn not found (or --only without ops runs the other stages)\n');
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  }, 60_000);
});
