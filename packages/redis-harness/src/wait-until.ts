/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between attempts in milliseconds (default 50). */
  intervalMs?: number;
  /** Describes what is awaited, for the timeout error ("Redis on 127.0.0.1:20001 to answer PING"). */
  what: string;
  /** Extra text appended to the timeout error (e.g. a server log); evaluated only on timeout. */
  details?: () => string | Promise<string>;
}

/**
 * Calls `check` until it returns a non-`undefined` value (resolved with it) or throws a fatal error (rethrown).
 * `check` returns `undefined` or throws {@link NotYet} to mean "not yet"; any other error aborts the wait. On
 * timeout it rejects with an error naming `what`, the last "not yet" reason, and `details()`.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitUntilOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReason = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      if (!(err instanceof NotYet)) throw err;
      lastReason = err.message;
    }
    if (Date.now() >= deadline) {
      const details = options.details ? await options.details() : '';
      throw new Error(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.what}` +
          (lastReason ? ` (last state: ${lastReason})` : '') +
          (details ? `\n${details}` : ''),
      );
    }
    await sleep(options.intervalMs ?? 50);
  }
}

/** Thrown inside a {@link waitUntil} check to mean "not ready yet, retry"; its message is kept for the timeout error. */
export class NotYet extends Error {
  /** @param reason why the condition does not hold yet */
  constructor(reason: string) {
    super(reason);
    this.name = 'NotYet';
  }
}
