import type { Session } from '../session/Session.js';
import { sessionState, type SessionState } from '../session/SessionState.js';

/** What writes one save (the repository's `SessionWriter`): resolves `false` when the session was gone. */
export interface SessionWrites {
  write(session: Session): Promise<boolean>;
}

/**
 * Orders the saves of each session (a save starts when the previous one of the same session
 * has finished, so a new session is never announced twice) and implements
 * `flushMode: 'immediate'`: every change starts a save. A failed immediate save keeps its
 * changes for the next save, is reported with `process.emitWarning`, and is thrown by the
 * next explicit `save` if that one fails too.
 */
export class SessionSaveQueue {
  readonly #immediateFailures = new WeakMap<Session, unknown>();

  constructor(private readonly writer: SessionWrites) {}

  /** Saves after the session's earlier saves. */
  save(session: Session): Promise<boolean> {
    const state = sessionState(session);
    // Without immediate flushing, a save with none in flight writes at once (no extra promise
    // hop on the hot path), and there are no immediate failures to report.
    if (state.onChange === null) return this.#enqueue(state, session, true);
    return this.#enqueue(state, session, false).then(
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

  /**
   * A session just created by the repository: with `flushMode: 'immediate'` it is saved now and
   * every later change saves it again; otherwise nothing is sent. Resolves with the session.
   */
  async created(session: Session, immediate: boolean): Promise<Session> {
    if (immediate) {
      await this.save(session);
      this.flushOnChange(session);
    }
    return session;
  }

  /** From now on, every change of the session saves it at once. */
  flushOnChange(session: Session): void {
    sessionState(session).onChange = (changed) => {
      // Deferred to a microtask, so that several changes made in a row go out in one write.
      this.#enqueue(sessionState(changed), changed, false).catch((error: unknown) => {
        this.#immediateFailures.set(changed, error);
        process.emitWarning(error instanceof Error ? error : String(error), { code: 'LAPSE_IMMEDIATE_FLUSH_FAILED' });
      });
    };
  }

  /**
   * Starts a write once the session's previous one has finished (`now`: at once when none is
   * in flight) and records it as the one in flight until it settles.
   */
  #enqueue(state: SessionState, session: Session, now: boolean): Promise<boolean> {
    const previous = state.saveInFlight;
    const written = previous === null && now ? this.writer.write(session) : (previous ?? Promise.resolve()).then(() => this.writer.write(session));
    const settled = (): void => {
      if (state.saveInFlight === tail) state.saveInFlight = null;
    };
    const tail: Promise<unknown> = written.then(settled, settled);
    state.saveInFlight = tail;
    return written;
  }
}
