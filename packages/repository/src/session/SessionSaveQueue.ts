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
  readonly #tails = new WeakMap<Session, Promise<unknown>>();
  readonly #immediateFailures = new WeakMap<Session, unknown>();

  constructor(private readonly write: (session: Session) => Promise<boolean>) {}

  /** Saves after the session's earlier saves. */
  save(session: Session): Promise<boolean> {
    const previous = this.#tails.get(session) ?? Promise.resolve();
    const next = previous.then(() => this.write(session));
    this.#tails.set(session, next.catch(() => undefined));
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

  /** From now on, every change of the session saves it at once. */
  flushOnChange(session: Session): void {
    sessionState(session).onChange = (changed) => {
      const next = this.#tails.get(changed) ?? Promise.resolve();
      const write = next.then(() => this.write(changed));
      this.#tails.set(changed, write.catch(() => undefined));
      write.catch((error: unknown) => {
        this.#immediateFailures.set(changed, error);
        process.emitWarning(error instanceof Error ? error : String(error), { code: 'LAPSE_IMMEDIATE_FLUSH_FAILED' });
      });
    };
  }
}
