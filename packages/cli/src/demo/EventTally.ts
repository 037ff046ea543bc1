/** The events the demo waits for. */
export type DemoEventType = 'created' | 'deleted' | 'expired';

/** One event the demo expects. */
export interface ExpectedEvent {
  readonly type: DemoEventType;
  readonly sessionId: string;
  readonly user: string;
  /** What its lag is measured from (epoch ms): the save, the logout, or the session's deadline. */
  since: number;
}

/** What {@link EventTally.receive} made of an event. */
export type Receipt =
  | { readonly kind: 'expected'; readonly event: ExpectedEvent; readonly lagMs: number }
  | { readonly kind: 'unexpected'; readonly user: string }
  | { readonly kind: 'foreign' };

/** The median and the largest of some lags, in ms (0 when there are none). */
export function lagStats(lags: readonly number[]): { p50: number; max: number } {
  const sorted = [...lags].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/**
 * Which events the demo expects, which arrived (with their lag), and which came that it did
 * not expect. Expectations are registered before the action that causes them, so an event
 * can never arrive first.
 */
export class EventTally {
  readonly #pending = new Map<string, ExpectedEvent>();
  readonly #received: { event: ExpectedEvent; lagMs: number }[] = [];
  readonly #unexpected: { type: DemoEventType; sessionId: string; user: string }[] = [];
  readonly #users = new Map<string, string>();
  #expected = 0;
  #onComplete: (() => void) | null = null;

  /** Expects `type` for `sessionId`, lag measured from `since`. */
  expect(type: DemoEventType, sessionId: string, user: string, since: number): void {
    this.#users.set(sessionId, user);
    this.#pending.set(`${type} ${sessionId}`, { type, sessionId, user, since });
    this.#expected += 1;
  }

  /** No longer expects `type` for `sessionId` (an id that changed will expire under its new id). */
  forget(type: DemoEventType, sessionId: string): void {
    if (this.#pending.delete(`${type} ${sessionId}`)) this.#expected -= 1;
  }

  /** Moves the lag baseline of a pending expectation (a touched session's new deadline). */
  reschedule(type: DemoEventType, sessionId: string, since: number): void {
    const pending = this.#pending.get(`${type} ${sessionId}`);
    if (pending !== undefined) pending.since = since;
  }

  /**
   * Records an event that arrived at `arrivedAt`. `since` overrides the lag baseline (the
   * deadline read from the event's own session data). Events of sessions the demo never made are
   * `foreign` and ignored.
   */
  receive(type: DemoEventType, sessionId: string, arrivedAt: number, since?: number): Receipt {
    const user = this.#users.get(sessionId);
    if (user === undefined) return { kind: 'foreign' };
    const key = `${type} ${sessionId}`;
    const event = this.#pending.get(key);
    if (event === undefined) {
      this.#unexpected.push({ type, sessionId, user });
      return { kind: 'unexpected', user };
    }
    this.#pending.delete(key);
    const lagMs = arrivedAt - (since ?? event.since);
    this.#received.push({ event, lagMs });
    if (this.#pending.size === 0) this.#onComplete?.();
    return { kind: 'expected', event, lagMs };
  }

  /** Resolves once every expected event arrived, or when `signal` aborts. */
  whenComplete(signal: AbortSignal): Promise<void> {
    if (this.#pending.size === 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onComplete = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** How many events are expected in all. */
  get expected(): number {
    return this.#expected;
  }

  /** Expected events that have not arrived. */
  get pending(): readonly ExpectedEvent[] {
    return [...this.#pending.values()];
  }

  /** Events that arrived but were not expected (a duplicate, or a wrong type). */
  get unexpected(): readonly { type: DemoEventType; sessionId: string; user: string }[] {
    return this.#unexpected;
  }

  /** How many expected events arrived, by type. */
  receivedCount(type?: DemoEventType): number {
    return this.#received.filter((r) => type === undefined || r.event.type === type).length;
  }

  /** How many events of `type` are expected in all. */
  expectedCount(type: DemoEventType): number {
    return this.receivedCount(type) + this.pending.filter((p) => p.type === type).length;
  }

  /** Lags of the expected events of `type` that arrived. */
  lags(type: DemoEventType): number[] {
    return this.#received.filter((r) => r.event.type === type).map((r) => r.lagMs);
  }

  /** Whether every expected event arrived and nothing unexpected did. */
  get complete(): boolean {
    return this.#pending.size === 0 && this.#unexpected.length === 0;
  }
}
