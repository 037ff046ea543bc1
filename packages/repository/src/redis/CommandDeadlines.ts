/** How a call's failures are reported: the error of a timeout, and the one a failed command rejects with. */
export interface CallFailures {
  timeout(command: string, sessionId: string | undefined): Error;
  commandError(command: string, sessionId: string | undefined, error: unknown): unknown;
}

/** A call waiting for Redis. */
interface Waiting {
  readonly deadline: number;
  readonly command: string;
  readonly sessionId: string | undefined;
  readonly failures: CallFailures;
  readonly reject: (error: unknown) => void;
}

/**
 * The `commandTimeoutMs` of every call in flight, kept by one timer.
 *
 * Every call has the same timeout, so calls reach their deadlines in the order they started:
 * the set (insertion-ordered) is sorted by deadline, and one timer armed for its oldest entry
 * serves them all. A timer and a `Promise.race` per call cost the hot path an allocation of
 * each and a timer-list insert and removal per call.
 */
export class CommandDeadlines {
  readonly #waiting = new Set<Waiting>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly timeoutMs: number) {}

  /**
   * Resolves as `sent` does; rejects with `failures.commandError(…)` of its error, or with
   * `failures.timeout(…)` when `timeoutMs` passes first (a late answer is then ignored).
   * The failures are described by an object, not closures, so that a call allocates little.
   */
  run<T>(sent: Promise<T>, command: string, sessionId: string | undefined, failures: CallFailures): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { deadline: Date.now() + this.timeoutMs, command, sessionId, failures, reject };
      this.#waiting.add(waiting);
      this.#arm();
      sent.then(
        (value) => {
          this.#waiting.delete(waiting);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiting.delete(waiting);
          reject(failures.commandError(command, sessionId, error));
        },
      );
    });
  }

  #arm(): void {
    if (this.#timer !== null) return;
    const oldest = this.#waiting.values().next();
    if (oldest.done === true) return;
    this.#timer = setTimeout(this.#fire, Math.max(0, oldest.value.deadline - Date.now()));
    // A call in flight keeps the process alive through its connection, not through this timer.
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = null;
    const now = Date.now();
    for (const waiting of this.#waiting) {
      if (waiting.deadline > now) break;
      this.#waiting.delete(waiting);
      waiting.reject(waiting.failures.timeout(waiting.command, waiting.sessionId));
    }
    this.#arm();
  };
}
