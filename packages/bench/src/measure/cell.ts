import type { Redis } from 'ioredis';
import { Samples } from '../stats.js';

/** What one turn of one peer measured. */
export interface TurnResult {
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** The prepared sessions ran out before the time was up (deleteById). */
  readonly exhausted: boolean;
  /** CPU time per operation (µs) of this Node process, and of Redis's main thread (INFO cpu). */
  readonly nodeCpuUs: number;
  readonly redisCpuUs: number;
}

/** Runs `op` from `concurrency` loops for `ms`; `op` resolves false when it has nothing left to do. */
export async function drive(concurrency: number, ms: number, op: (worker: number) => Promise<boolean>, samples: Samples | null): Promise<boolean> {
  const deadline = performance.now() + ms;
  let exhausted = false;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (!exhausted && performance.now() < deadline) {
        const started = performance.now();
        if (!(await op(worker))) {
          exhausted = true;
          return;
        }
        samples?.push(performance.now() - started);
      }
    }),
  );
  return exhausted;
}

/**
 * Redis's main-thread CPU time so far, µs (INFO cpu): commands, scripts and network I/O alike.
 * (INFO commandstats would miss the I/O and count commands run inside a script twice.)
 */
export async function redisCpuUsec(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (field('used_cpu_user_main_thread') + field('used_cpu_sys_main_thread')) * 1e6;
}

export async function measureCell(
  admin: Redis,
  concurrency: number,
  warmupMs: number,
  durationMs: number,
  op: (worker: number) => Promise<boolean>,
  afterWarmup?: () => void,
): Promise<TurnResult> {
  await drive(concurrency, warmupMs, op, null);
  afterWarmup?.();
  const samples = new Samples();
  const redisBefore = await redisCpuUsec(admin);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const exhausted = await drive(concurrency, durationMs, op, samples);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisUsec = (await redisCpuUsec(admin)) - redisBefore;
  return {
    nodeCpuUs: (cpu.user + cpu.system) / samples.length,
    redisCpuUs: redisUsec / samples.length,
    ops: samples.length,
    seconds,
    perSecond: samples.length / seconds,
    p50: samples.percentile(50),
    p99: samples.percentile(99),
    max: samples.percentile(100),
    exhausted,
  };
}

