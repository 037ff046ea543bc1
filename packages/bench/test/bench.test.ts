// `pnpm bench --quick` end to end (after `tsc -b`): it starts its own Redis servers, runs every
// measurement on small workloads (lapse on every client, the real Spring in its JVM, the
// express-session request section, the express app), prints the tables and the targets, writes BENCHMARKS.md and the chart where --out
// says, and exits 0 (every target passes) or 1 (a target missed). Speed itself is never asserted
// here: only the benchmark judges it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missingSpringTools } from '../src/peers/spring-driver.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function bench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm bench --quick', () => {
  it('measures everything, prints a line per measurement and a verdict per target, writes the report, exits 0 or 1', async () => {
    expect(existsSync(MAIN), 'build the workspace first (pnpm build)').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'lapse-bench-'));
    try {
      const { code, stdout, stderr } = await bench(['--quick', '--out', out]);
      // Without java or mvn (a newcomer's machine; never in CI) the bench stops at once with exit 3.
      const missing = missingSpringTools();
      if (missing !== null && process.env['CI'] !== 'true') {
        expect({ code, stderr }).toEqual({ code: 3, stderr: `bench: ${missing}\n` });
        return;
      }
      expect(stderr).not.toMatch(/measurement failed|Error:/);
      // Progress on stderr, one line per stage when it is not a terminal.
      expect(stderr).toMatch(/^\[0:\d\d\] operations \d+\/\d+: save new session, lapse \(ioredis 6\), concurrency 1$/m);
      expect(stderr).toMatch(/^\[\d:\d\d\] express-session request \d+\/20: get \+ set \(changed\), connect-redis 10 \(node-redis 5\.9\), concurrency 1$/m);
      expect(stderr).toMatch(/^\[\d:\d\d\] express app \d+\/8: read route \(get \+ touch\), LapseStore \(node-redis 5\.9\)$/m);
      expect(stderr).not.toContain('\r');

      const rate = String.raw`[\d,]+/s\*? · [\d.]+/[\d.]+`;
      const ratio = String.raw`[\d.]+×`;
      const row = (label: string, cells: string[]): RegExp => new RegExp(`^${label} +${cells.join(' +')}$`, 'm');
      // Every peer runs on every client: no cell reads n/a, no "did not run" note.
      expect(stdout).not.toMatch(/n\/a|did not run/);

      expect(stdout).toMatch(/^operation +conc\. +lapse \(ioredis 6\) +lapse \(node-redis 5\.9\) +connect-redis +Spring Session \(Lettuce\) +Spring sequence \(replayed on ioredis\) +io ÷ CR +nr ÷ CR +io ÷ Spring +nr ÷ Spring$/m);
      expect(stdout).toMatch(/^Spring Session \(Lettuce\): Spring Boot 3\.5\.7 \(Spring Session [\d.]+, Spring Data Redis [\d.]+, Lettuce [\d.]+\), Java \S+; ÷ Spring is against it, not the replayed sequence\.$/m);
      expect(stderr).toMatch(/^\[\d:\d\d\] operations \d+\/\d+: findById \+ delta save, Spring Session \(Lettuce\), concurrency 64$/m);
      expect(stdout).toMatch(/^operation +conc\. +lapse \(node-redis 6\.3\) +÷ 5\.9 +lapse \(node-redis 5\.9 RESP3\) +÷ RESP2 +connect-redis \(node-redis 6\.3\) +÷ 5\.9$/m);
      for (const op of ['save new session', 'delta save \\(1 attribute\\)', 'findById', 'deleteById', 'findById \\+ delta save']) {
        for (const concurrency of [1, 64]) {
          expect(stdout).toMatch(row(op, [String(concurrency), rate, rate, rate, rate, rate, ratio, ratio, ratio, ratio]));
          expect(stdout).toMatch(row(op, [String(concurrency), rate, ratio, rate, ratio, rate, ratio]));
        }
      }
      expect(stdout).toMatch(/^RESP3 on node-redis 5\.9, lapse ÷ the same on RESP2, concurrency 64: save new session [\d.]+×/m);

      // The express-session request section: the Store API, CPU per request, the express app, memory.
      expect(stdout).toMatch(/^request +conc\. +connect-redis 10 \(node-redis 5\.9\) +LapseStore \(node-redis 5\.9\) +floor \(node-redis 5\.9\) +LapseStore \(ioredis 6\) +floor \(ioredis 6\) +LapseStore nr ÷ CR +LapseStore nr ÷ floor +LapseStore io ÷ floor +floor nr ÷ CR$/m);
      const cpu = String.raw`\d+ \+ \d+`;
      for (const request of ['get \\+ set \\(changed\\)', 'get \\+ touch \\(unchanged\\)']) {
        for (const concurrency of [1, 64]) {
          expect(stdout).toMatch(row(request, [String(concurrency), rate, rate, rate, rate, rate, ratio, ratio, ratio, ratio]));
          expect(stdout).toMatch(row(request, [String(concurrency), cpu, cpu, cpu, cpu, cpu]));
        }
      }
      expect(stdout).toMatch(
        /^express app +connect-redis 10 \(node-redis 5\.9\) +LapseStore \(node-redis 5\.9\) +LapseStore, touchAfter 60 \(node-redis 5\.9\) +floor \(node-redis 5\.9\) +LapseStore ÷ CR +touchAfter 60 ÷ CR +LapseStore ÷ floor +floor ÷ CR +CPU, connect-redis +CPU, LapseStore +CPU, touchAfter 60 +CPU, floor$/m,
      );
      const appRate = String.raw`[\d,]+/s · \d+/\d+`;
      for (const route of ['read route \\(get \\+ touch\\)', 'write route \\(get \\+ set\\)']) {
        expect(stdout).toMatch(row(route, [appRate, appRate, appRate, appRate, ratio, ratio, ratio, ratio, cpu, cpu, cpu, cpu]));
      }

      expect(stdout).toMatch(/^event lag +received +p50 +p99 +max +missed$/m);
      for (const mode of ['Redis untouched \\(no sweep\\)', "minute buckets \\(Spring's design\\)", 'sorted set \\+ deadline sweeper']) {
        expect(stdout).toMatch(new RegExp(`^${mode} +\\d+/40 +\\S.* +\\d+$`, 'm'));
      }
      expect(stdout).toMatch(/^sweep +live +due +touched +median +slowest +rounds$/m);
      for (const kind of ['minute buckets', 'sorted set']) {
        expect(stdout).toMatch(new RegExp(`^sweep, ${kind} +20,000 +500 +[\\d,]+ +[\\d.]+ ms +[\\d.]+ ms +1$`, 'm'));
      }
      expect(stdout).toMatch(/^memory +sessions +per session +÷ connect-redis +MEMORY USAGE of one \(B\)$/m);
      for (const variant of ['connect-redis', 'lapse, minute buckets', 'lapse, sorted set']) {
        expect(stdout).toMatch(new RegExp(`^memory, ${variant} +2,000 +[\\d,]+ B +[\\d.]+×`, 'm'));
      }
      expect(stdout).toMatch(/^express session memory +sessions +per session +÷ connect-redis +MEMORY USAGE of one \(B\) +hash encoding$/m);
      for (const variant of ['connect-redis 10', 'LapseStore, no principal index', 'LapseStore, principal indexed']) {
        expect(stdout).toMatch(new RegExp(`^${variant} +2,000 +[\\d,]+ B +[\\d.]+×`, 'm'));
      }

      expect(stdout).toMatch(/^target +goal +measured +result$/m);
      const verdicts = [...stdout.matchAll(/^(findById \+ delta save|express-session request|express app|memory per|event lag|sweep of).* (PASS|MISS)$/gm)].map((m) => m[2]);
      expect(verdicts).toHaveLength(16);
      // The target against the real Spring, with the floor of the layout measured in the same cell.
      expect(stdout).toMatch(/^findById \+ delta save, concurrency 64, lapse on node-redis 5\.9, vs Spring Session \(Lettuce\) +≥ 3× +[\d.]+× \([\d,]+\/s vs [\d,]+\/s; the floor of the layout: [\d.]+×( \(the 3\.00× target lies above it\))?\) +(PASS|MISS)$/m);
      expect(stdout).toMatch(/^\d+ of 16 targets pass, \d+ miss\.$/m);

      // Exit codes: 0 when every target passes, 1 when one misses.
      expect(code).toBe(verdicts.includes('MISS') ? 1 : 0);

      const markdown = readFileSync(join(out, 'BENCHMARKS.md'), 'utf8');
      expect(markdown).toContain('## Targets');
      expect(markdown).toContain('](docs/event-lag.svg)');
      const svg = readFileSync(join(out, 'docs', 'event-lag.svg'), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.match(/<path /g)).toHaveLength(3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
