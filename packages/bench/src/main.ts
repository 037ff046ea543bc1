/**
 * `pnpm bench`: lapse against connect-redis and Spring Session (the real one, in a JVM, and its
 * command sequence replayed on Node), on Redis
 * servers it starts itself. Prints a progress line on stderr, the tables and the targets on
 * stdout, and (full runs, or with --out) writes BENCHMARKS.md and docs/event-lag.svg.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL, QUICK } from './config.js';
import { describeEnvironment } from './environment.js';
import * as f from './format.js';
import { runEventLag } from './measure/event-lag.js';
import { runExpressApp } from './measure/express-app.js';
import { runMemory } from './measure/memory.js';
import { runOps } from './measure/ops.js';
import { runStoreMemory } from './measure/store-memory.js';
import { runStoreRequests } from './measure/store-requests.js';
import { runSweep } from './measure/sweep.js';
import { missingSpringTools } from './peers/spring-driver.js';
import { Progress } from './progress.js';
import { benchmarksMarkdown } from './report/markdown.js';
import { eventLagSvg } from './report/svg.js';
import { buildTables, renderText, targetsTable } from './report/tables.js';
import { evaluateTargets, STAGES, type Measurements, type Stage } from './targets.js';

const USAGE = `Usage: pnpm bench [-- [--quick] [--out DIR] [--only STAGES]]
       node packages/bench/dist/main.js [--quick] [--out DIR] [--only STAGES]

Benchmarks lapse on each Redis client (ioredis 6, node-redis 5.9 and 6.3) against connect-redis 10
(node-redis 5.9), Spring Session (its RedisIndexedSessionRepository on Lettuce, in a JVM) and Spring's
command sequence replayed on ioredis, and LapseStore against connect-redis and the floor of lapse's
layout through express-session's Store API and in an express app, on Redis servers it starts itself
(redis-server on a free port, or a container), and checks its targets (PASS or MISS each).
Needs redis-server on the PATH, and for the ops stage java (17+) and mvn (it builds
packages/bench/spring-driver with mvn -o -q package when its jar is missing or stale).
A full run takes about 18 minutes on 2 cores.

  --quick         a short smoke run (small workloads, about a minute; also env LAPSE_BENCH_QUICK=1);
                  its numbers are indicative only
  --out DIR       write BENCHMARKS.md and docs/event-lag.svg under DIR
                  (default: the repository root for a full run; a --quick or --only run writes nothing without --out)
  --only STAGES   comma-separated subset of ${STAGES.join(',')}
  --help          this text

Exit codes: 0 every target passes; 1 at least one misses; 2 the command line is wrong;
3 a measurement could not run (its targets read "not measured").`;

interface Args {
  quick: boolean;
  out: string | null;
  only: Stage[] | null;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { quick: false, out: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--') continue;
    else if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--quick') args.quick = true;
    else if (arg === '--out') args.out = value();
    else if (arg === '--only') {
      const stages = value().split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = stages.filter((s) => !(STAGES as readonly string[]).includes(s));
      if (unknown.length > 0 || stages.length === 0) throw new UsageError(`--only takes ${STAGES.join(', ')}; got ${unknown.join(', ') || 'nothing'}`);
      args.only = stages as Stage[];
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  return args;
}

/** An error in one line (tables and BENCHMARKS.md); the whole of it goes to stderr. */
function errorText(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

async function main(): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${errorText(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const quick = args.quick || process.env['LAPSE_BENCH_QUICK'] === '1';
  const config = quick ? QUICK : FULL;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const outDir = args.out !== null ? resolve(args.out) : !quick && args.only === null ? root : null;
  const stages = args.only ?? STAGES;
  const progress = new Progress();
  const startedAt = new Date();
  const started = performance.now();

  const missingTools = stages.includes('ops') ? missingSpringTools() : null;
  if (missingTools !== null) {
    process.stderr.write(`bench: ${missingTools}\n`);
    return 3;
  }
  progress.stage('starting: environment');
  const env = await describeEnvironment(root);
  const m: Measurements = { ops: null, store: null, app: null, lag: null, sweep: null, memory: null, storeMemory: null, failures: {} };
  const run = async <T>(stage: Stage, measure: () => Promise<T>, store: (value: T) => void): Promise<void> => {
    if (!stages.includes(stage)) {
      m.failures[stage] = 'not run (--only)';
      return;
    }
    try {
      store(await measure());
    } catch (error) {
      m.failures[stage] = errorText(error);
      progress.clear();
      process.stderr.write(`bench: the ${stage} measurement failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  };
  await run('ops', () => runOps(config, progress), (v) => (m.ops = v));
  await run('store', () => runStoreRequests(config, progress), (v) => (m.store = v));
  await run('app', () => runExpressApp(config, progress), (v) => (m.app = v));
  await run('lag', () => runEventLag(config, progress), (v) => (m.lag = v));
  await run('sweep', () => runSweep(config, progress), (v) => (m.sweep = v));
  await run('memory', () => runMemory(config, progress), (v) => (m.memory = v));
  await run('memory', () => runStoreMemory(config, progress), (v) => (m.storeMemory = v));
  const durationMs = performance.now() - started;
  const loadAtEnd = loadavg()[0] ?? 0;
  progress.clear();

  const targets = evaluateTargets(m);
  const lines: string[] = [
    `lapse bench, ${config.quick ? 'quick smoke run (small workloads: indicative only)' : 'full run'}, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, took ${f.duration(durationMs)}`,
    `Node ${env.node}, Redis ${env.redis} (${env.redisSource}, a fresh one per measurement), ${env.cores} × ${env.cpu}, load average ${env.loadAtStart.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end`,
    '',
  ];
  for (const table of [...buildTables(m, config), targetsTable(targets)]) lines.push(renderText(table), '');
  const failed = Object.entries(m.failures).filter(([, why]) => why !== 'not run (--only)');
  // The real Spring is what the Spring target is measured against: without it the ops stage did not fully run.
  const springFailure = m.ops?.unavailable.spring;
  if (springFailure !== undefined) failed.push(['ops', `the real Spring did not run: ${springFailure}`]);
  const misses = targets.filter((t) => t.pass === false).length;
  const passes = targets.filter((t) => t.pass === true).length;
  lines.push(`${passes} of ${targets.length} targets pass, ${misses} miss${targets.length - passes - misses > 0 ? `, ${targets.length - passes - misses} not measured` : ''}.`);

  if (outDir !== null) {
    const chartPath = join(outDir, 'docs', 'event-lag.svg');
    const chart = m.lag !== null && m.lag.some((r) => r.outcome !== null) ? relative(outDir, chartPath).split('\\').join('/') : null;
    if (chart !== null && m.lag !== null) {
      await mkdir(dirname(chartPath), { recursive: true });
      const title = `Event lag: ${f.count(config.lag.live)} live sessions, ${f.count(config.lag.due)} due over ${config.lag.windowMs / 1000} s${config.quick ? ' (--quick)' : ''}`;
      await writeFile(chartPath, eventLagSvg(m.lag, title));
    }
    await mkdir(outDir, { recursive: true });
    const markdownPath = join(outDir, 'BENCHMARKS.md');
    await writeFile(markdownPath, benchmarksMarkdown({ config, env, measurements: m, targets, startedAt, durationMs, chart, loadAtEnd }));
    lines.push(`Wrote ${relative(process.cwd(), markdownPath) || markdownPath}${chart === null ? '' : ` and ${relative(process.cwd(), chartPath)}`}.`);
  } else {
    lines.push('BENCHMARKS.md not written (a --quick or --only run writes only with --out DIR).');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (failed.length > 0) return 3;
  return misses > 0 || targets.some((t) => t.pass === null && stages.length === STAGES.length) ? 1 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 3;
});
