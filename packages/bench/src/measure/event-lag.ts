import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from '../config.js';
import type { Progress } from '../progress.js';
import { LAG_MODES, type LagMode, type LagOutcome, type WorkerMessage } from './lag-protocol.js';

export interface LagResult {
  readonly mode: LagMode;
  readonly outcome: LagOutcome | null;
  /** Why there is no outcome. */
  readonly failure: string | null;
}

interface Worker {
  readonly mode: LagMode;
  readonly child: ChildProcess;
  readonly stderr: string[];
  received: number;
  due: number;
  phase: string;
  ready: Promise<void>;
  done: Promise<LagResult>;
}

function startWorker(mode: LagMode, config: BenchConfig['lag']): Worker {
  const child = fork(fileURLToPath(new URL('./lag-worker.js', import.meta.url)), [mode, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stderr: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const worker: Worker = {
    mode,
    child,
    stderr,
    received: 0,
    due: config.due,
    phase: 'starting Redis',
    ready: new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    }),
    done: Promise.resolve({ mode, outcome: null, failure: null }),
  };
  worker.ready.catch(() => undefined);
  worker.done = new Promise<LagResult>((resolve) => {
    let outcome: LagOutcome | null = null;
    let failure: string | null = null;
    child.on('message', (raw) => {
      const message = raw as WorkerMessage;
      switch (message.type) {
        case 'ready':
          worker.phase = 'ready';
          markReady();
          break;
        case 'progress':
          worker.phase = message.phase;
          worker.received = message.received;
          worker.due = message.due;
          break;
        case 'result':
          outcome = message.outcome;
          break;
        case 'error':
          failure ??= message.message;
          break;
      }
    });
    child.on('exit', (code, signal) => {
      if (outcome === null && failure === null) {
        failure = `worker exited (${signal ?? `code ${String(code)}`}): ${stderr.join('').trim().split('\n').slice(-5).join(' | ')}`;
      }
      failReady(new Error(failure ?? 'worker exited before it was ready'));
      if (outcome === null && failure !== null) process.stderr.write(`\nbench: event lag (${mode}) failed: ${failure}\n`);
      const short = failure?.split('\n')[0] ?? null;
      resolve({ mode, outcome, failure: outcome === null ? (short !== null && short.length > 140 ? `${short.slice(0, 139)}…` : short) : null });
    });
  });
  return worker;
}

const LABELS: Record<LagMode, string> = { untouched: 'untouched', 'minute-buckets': 'minute buckets', 'sorted-set': 'sorted set' };

/**
 * The three event-lag measurements at once, each in its own process on its own Redis, the
 * due sessions' window starting at the same moment for all.
 */
export async function runEventLag(config: BenchConfig, progress: Progress): Promise<LagResult[]> {
  progress.stage(`event lag: saving ${config.lag.live.toLocaleString('en-US')} sessions in each of 3 Redis servers`);
  const workers = LAG_MODES.map((mode) => startWorker(mode, config.lag));
  const show = (): void => progress.update(workers.map((w) => `${LABELS[w.mode]} ${w.phase} ${w.received.toLocaleString('en-US')}/${w.due.toLocaleString('en-US')}`).join(' · '));
  const ticker = setInterval(show, 250);
  try {
    await Promise.allSettled(workers.map((w) => w.ready));
    const startAt = Date.now() + 500;
    const live = workers.filter((w) => w.child.connected && w.phase === 'ready');
    for (const worker of live) worker.child.send({ type: 'go', startAt });
    progress.stage(`event lag: ${config.lag.due.toLocaleString('en-US')} sessions due over ${config.lag.windowMs / 1000} s, waiting up to ${config.lag.capMs / 1000} s past the last deadline`);
    return await Promise.all(workers.map((w) => w.done));
  } finally {
    clearInterval(ticker);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null && w.child.connected) w.child.disconnect();
  }
}
