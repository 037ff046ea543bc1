/** A call waiting for Redis. */
interface Waiting {
  readonly deadline: number;
  readonly expire: () => void;
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
   * Resolves as `sent` does; rejects with `onError(its error)`, or with `onTimeout()` when
   * `timeoutMs` passes first (a late answer is then ignored).
   */
  run<T>(sent: Promise<T>, onTimeout: () => Error, onError: (error: unknown) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { deadline: Date.now() + this.timeoutMs, expire: () => reject(onTimeout()) };
      this.#waiting.add(waiting);
      this.#arm();
      sent.then(
        (value) => {
          this.#waiting.delete(waiting);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiting.delete(waiting);
          reject(onError(error));
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
      waiting.expire();
    }
    this.#arm();
  };
}
