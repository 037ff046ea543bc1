import { performance } from 'node:perf_hooks';
import type { SweepResult } from '../ExpirationStrategy.js';

/**
 * Runs sweeps when they are due instead of on a clock: after each sweep it sleeps until the
 * earliest deadline still filed (as Redis measures it), never longer than `maxIntervalMs`, and
 * a save that files an earlier deadline wakes it sooner. One sweep at a time.
 */
export class DeadlineSweeper {
  #timer: NodeJS.Timeout | null = null;
  /** `performance.now()` at which the timer fires, or `Infinity`. */
  #wakeAt = Number.POSITIVE_INFINITY;
  #sweeping = false;
  #again = false;
  #stopped = false;

  constructor(
    private readonly sweep: () => Promise<SweepResult>,
    private readonly maxIntervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {
    this.#schedule(0);
  }

  /** A save filed a session whose shadow key expires in `inMs`: make sure a sweep runs just after. */
  deadlineIn(inMs: number): void {
    // Redis expires a key only once its deadline has passed: sweep 1 ms after it.
    this.#schedule(inMs + 1);
  }

  /** Stops for good. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    const delay = Math.min(Math.max(0, delayMs), this.maxIntervalMs);
    const wakeAt = performance.now() + delay;
    if (wakeAt >= this.#wakeAt - 1) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#wakeAt = wakeAt;
    this.#timer = setTimeout(() => void this.#run(), delay);
    // Never what keeps the process alive: an application that has closed everything else exits.
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    this.#timer = null;
    this.#wakeAt = Number.POSITIVE_INFINITY;
    if (this.#sweeping) {
      this.#again = true;
      return;
    }
    this.#sweeping = true;
    let next = this.maxIntervalMs;
    try {
      const result = await this.sweep();
      if (result.nextDeadlineInMs !== null) next = result.nextDeadlineInMs + 1;
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#sweeping = false;
    }
    if (this.#again) {
      this.#again = false;
      next = 0;
    }
    this.#schedule(next);
  }
}
