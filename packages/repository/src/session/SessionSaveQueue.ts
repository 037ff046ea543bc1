import type { Session } from './Session.js';
import { sessionState } from './SessionState.js';

/**
 * Orders the saves of each session (a save starts when the previous one of the same session
 * has finished, so a new session is never announced twice) and implements
 * `flushMode: 'immediate'`: every change starts a save. A failed immediate save keeps its
 * changes for the next save, is reported with `process.emitWarning`, and is thrown by the
 * next explicit `save` if that one fails too.
 */
export class SessionSaveQueue {
  readonly #immediateFailures = new WeakMap<Session, unknown>();

  constructor(private readonly write: (session: Session) => Promise<boolean>) {}

  /** Saves after the session's earlier saves. */
  save(session: Session): Promise<boolean> {
    const state = sessionState(session);
    const previous = state.saveInFlight;
    // The common case (no save of this session in flight, no immediate flushing): write now,
    // without the bookkeeping promises below.
    if (previous === null && state.onChange === null) {
      const written = this.write(session);
      const tail: Promise<unknown> = written.then(
        () => this.#settled(session, tail),
        () => this.#settled(session, tail),
      );
      state.saveInFlight = tail;
      return written;
    }
    const next = (previous ?? Promise.resolve()).then(() => this.write(session));
    const tail: Promise<unknown> = next.then(
      () => this.#settled(session, tail),
      () => this.#settled(session, tail),
    );
    state.saveInFlight = tail;
    return next.then(
      (stored) => {
        this.#immediateFailures.delete(session);
        return stored;
      },
      (error: unknown) => {
        const earlier = this.#immediateFailures.get(session);
        this.#immediateFailures.delete(session);
        throw earlier ?? error;
      },
    );
  }

  /** Forgets a finished save, unless another has queued behind it. */
  #settled(session: Session, tail: Promise<unknown>): void {
    const state = sessionState(session);
    if (state.saveInFlight === tail) state.saveInFlight = null;
  }

  /** From now on, every change of the session saves it at once. */
  flushOnChange(session: Session): void {
    sessionState(session).onChange = (changed) => {
      const next = sessionState(changed).saveInFlight ?? Promise.resolve();
      const write = next.then(() => this.write(changed));
      const tail: Promise<unknown> = write.then(
        () => this.#settled(changed, tail),
        () => this.#settled(changed, tail),
      );
      sessionState(changed).saveInFlight = tail;
      write.catch((error: unknown) => {
        this.#immediateFailures.set(changed, error);
        process.emitWarning(error instanceof Error ? error : String(error), { code: 'LAPSE_IMMEDIATE_FLUSH_FAILED' });
      });
    };
  }
}
