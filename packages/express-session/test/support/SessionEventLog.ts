import type { SessionEvent, SessionEventListener } from '@lapse/events';

type EventType = SessionEvent['type'];

/** Records a listener's session events and lets a test wait for one, with a timeout (no sleeping). */
export class SessionEventLog {
  readonly events: SessionEvent[] = [];
  readonly errors: Error[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(listener: SessionEventListener) {
    for (const type of ['created', 'deleted', 'expired'] as const) {
      listener.on(type, (event: SessionEvent) => {
        this.events.push(event);
        for (const check of [...this.#waiters]) check();
      });
    }
    listener.on('error', (error) => this.errors.push(error));
  }

  /** Events of one type, optionally of one session. */
  of(type: EventType, sessionId?: string): SessionEvent[] {
    return this.events.filter((event) => event.type === type && (sessionId === undefined || event.sessionId === sessionId));
  }

  /** The first event of a type for a session, waiting up to `timeoutMs` for it. */
  next(type: EventType, sessionId: string, timeoutMs = 5000): Promise<SessionEvent> {
    const found = (): SessionEvent | undefined => this.of(type, sessionId)[0];
    const already = found();
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const event = found();
        if (event === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        const seen = this.events.map((event) => `${event.type} ${event.sessionId}`).join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${type} of ${sessionId} (seen: ${seen}; errors: ${this.errors.map((e) => e.message).join('; ')})`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }
}
