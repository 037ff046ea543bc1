/** The session events a recorder records (every event of a lapse listener but `'error'`). */
export type RecordedEventName = 'created' | 'deleted' | 'expired' | 'destroyed';

/** What a recorder needs of an event: the session it is about. */
export interface RecordableEvent {
  readonly sessionId: string;
}

/**
 * What a recorder needs of a listener: lapse's `SessionEventListener` (typed structurally, so
 * the harness does not depend on `@lapse/events`).
 */
export interface RecordableListener<E extends RecordableEvent> {
  on(name: RecordedEventName, handler: (event: E) => void): unknown;
  on(name: 'error', handler: (error: Error) => void): unknown;
}

/**
 * The one event recorder of lapse's test suites: records every event (and `'error'`) of a
 * session-event listener and lets a test wait for one, or for a count, with a bounded wait
 * instead of sleeping and hoping. Proving that nothing more arrives is the test's job (wait
 * for a sentinel, then compare).
 *
 * @example
 * ```ts
 * const events = new EventRecorder(listener);
 * await repository.deleteById(id);
 * const deleted = await events.next('deleted', id);
 * ```
 */
export class EventRecorder<E extends RecordableEvent> {
  /** Every event in arrival order, with the name it arrived under. */
  readonly events: { readonly name: RecordedEventName; readonly event: E }[] = [];
  /** Every error the listener reported. */
  readonly errors: Error[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(listener: RecordableListener<E>) {
    for (const name of ['created', 'deleted', 'expired', 'destroyed'] as const) {
      listener.on(name, (event: E) => {
        this.events.push({ name, event });
        for (const check of [...this.#waiters]) check();
      });
    }
    listener.on('error', (error: Error) => {
      this.errors.push(error);
      for (const check of [...this.#waiters]) check();
    });
  }

  /** Events of one kind, optionally for one session, in arrival order. */
  of(name: RecordedEventName, sessionId?: string): E[] {
    return this.events.filter((e) => e.name === name && (sessionId === undefined || e.event.sessionId === sessionId)).map((e) => e.event);
  }

  /** Waits (up to `timeoutMs`) for the first event of a kind for a session, and returns it. */
  async next(name: RecordedEventName, sessionId: string, timeoutMs = 5000): Promise<E> {
    await this.until(() => this.of(name, sessionId).length > 0, `${name} event for ${sessionId}`, timeoutMs);
    return this.of(name, sessionId)[0] as E;
  }

  /** Waits (up to `timeoutMs`) until at least `count` events of a kind have arrived; returns them all. */
  async count(name: RecordedEventName, count: number, timeoutMs = 10_000): Promise<E[]> {
    await this.until(() => this.of(name).length >= count, `${count} ${name} events`, timeoutMs);
    return this.of(name);
  }

  /**
   * Waits until `condition` holds, re-checking at each event and every 50 ms (for state
   * outside the recorder); rejects after `timeoutMs` naming `what` and what arrived.
   */
  until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.events.map((e) => `${e.name} ${e.event.sessionId}`).join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (got ${this.events.length} events: ${seen}; errors: ${this.errors.map((e) => e.message).join('; ')})`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }
}
