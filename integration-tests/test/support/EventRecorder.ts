import type { SessionEvent, SessionEventListener } from '@lapse/events';

type RecordedType = 'created' | 'deleted' | 'expired' | 'destroyed';

/**
 * Records every event of a listener and lets a test wait for one (or for a count) with a
 * timeout, instead of sleeping and hoping.
 */
export class EventRecorder {
  readonly events: { name: RecordedType; event: SessionEvent }[] = [];
  readonly errors: Error[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(listener: SessionEventListener) {
    for (const name of ['created', 'deleted', 'expired', 'destroyed'] as const) {
      listener.on(name, (event: SessionEvent) => {
        this.events.push({ name, event });
        this.#waiters.forEach((check) => check());
      });
    }
    listener.on('error', (error) => {
      this.errors.push(error);
      this.#waiters.forEach((check) => check());
    });
  }

  /** Events of one kind, optionally for one session. */
  of(name: RecordedType, sessionId?: string): SessionEvent[] {
    return this.events.filter((e) => e.name === name && (sessionId === undefined || e.event.sessionId === sessionId)).map((e) => e.event);
  }

  /** Waits for the first event of a kind for a session. */
  async next(name: RecordedType, sessionId: string, timeoutMs = 5000): Promise<SessionEvent> {
    await this.until(() => this.of(name, sessionId).length > 0, `${name} event for ${sessionId}`, timeoutMs);
    return this.of(name, sessionId)[0] as SessionEvent;
  }

  /** Waits until `count` events of a kind have arrived. */
  async count(name: RecordedType, count: number, timeoutMs = 10_000): Promise<SessionEvent[]> {
    await this.until(() => this.of(name).length >= count, `${count} ${name} events`, timeoutMs);
    return this.of(name);
  }

  /** Waits until `condition` holds, re-checking at each event (and every 50 ms, for Redis-side state). */
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
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (got ${this.events.length} events: ${this.events.map((e) => e.name).join(', ')}; errors: ${this.errors.map((e) => e.message).join('; ')})`));
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

export { eventually } from '@lapse/redis-harness/vitest';
