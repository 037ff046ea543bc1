import { SessionEndedError } from '../errors/SessionEndedError.js';

/**
 * The `watch()` signals: one `AbortController` per watch, by session id, aborted when the
 * session ends. A watch whose own signal aborts is forgotten without firing.
 */
export class WatchRegistry {
  readonly #watches = new Map<string, Set<AbortController>>();

  /**
   * A new watch of `sessionId`, ended early (forgotten) when `until` aborts. `lookup`, when
   * given, says whether the session exists now; a missing one aborts this watch at once with
   * `how: 'missing'`. Its failure goes to `report`.
   */
  watch(
    sessionId: string,
    until: AbortSignal | undefined,
    lookup: (() => Promise<boolean>) | null,
    report: (error: unknown) => void,
  ): AbortSignal {
    const controller = new AbortController();
    let watchers = this.#watches.get(sessionId);
    if (watchers === undefined) {
      watchers = new Set();
      this.#watches.set(sessionId, watchers);
    }
    watchers.add(controller);
    until?.addEventListener('abort', () => this.#forget(sessionId, controller), { once: true });
    lookup?.().then(
      (exists) => {
        if (!exists) this.end(sessionId, new SessionEndedError(sessionId, 'missing'), controller);
      },
      report,
    );
    return controller.signal;
  }

  /** Aborts the watches of a session (only `only`, when given) with `reason`. */
  end(sessionId: string, reason: SessionEndedError, only?: AbortController): void {
    const watchers = this.#watches.get(sessionId);
    if (watchers === undefined) return;
    for (const controller of only === undefined ? [...watchers] : [only]) {
      if (!watchers.delete(controller)) continue;
      controller.abort(reason);
    }
    if (watchers.size === 0) this.#watches.delete(sessionId);
  }

  /** Forgets every watch without aborting it (after `close()` a signal never fires). */
  clear(): void {
    this.#watches.clear();
  }

  #forget(sessionId: string, controller: AbortController): void {
    const watchers = this.#watches.get(sessionId);
    watchers?.delete(controller);
    if (watchers?.size === 0) this.#watches.delete(sessionId);
  }
}
