import { checkOptions, LapseError, optionRule, type OptionRules, type SessionRepository } from '@lapse/repository';

/** The default shortest time between two refreshes, in ms (one minute). */
export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 60_000;

/** Options of {@link SessionKeepAlive}. */
export interface SessionKeepAliveOptions {
  /** Where the session is kept (a `RedisIndexedSessionRepository` or a `MapSessionRepository`). */
  repository: Pick<SessionRepository, 'findById' | 'save'>;
  /** The session to keep alive. */
  sessionId: string;
  /**
   * Shortest time between two refreshes, in ms: `touch()` calls in between cost nothing.
   * Pick it well below the session timeout (a tenth of it, say).
   * @defaultValue {@link DEFAULT_KEEP_ALIVE_INTERVAL_MS} (60 000)
   */
  intervalMs?: number;
  /**
   * Where a failed refresh is reported (the next `touch()` after the interval tries again).
   * @defaultValue `process.emitWarning`
   */
  onError?: (error: Error) => void;
  /** The clock, in epoch ms. @defaultValue `Date.now` */
  clock?: () => number;
}

/** Every option of {@link SessionKeepAlive}, each with its rule: adding an option is adding its line here. */
const KEEP_ALIVE_OPTION_RULES = Object.freeze({
  repository: optionRule.must('a lapse session repository', (value) => {
    const candidate = value as Partial<SessionRepository> | null;
    return candidate !== null && typeof candidate === 'object' && typeof candidate.findById === 'function' && typeof candidate.save === 'function';
  }),
  sessionId: optionRule.nonEmptyString,
  intervalMs: optionRule.nonNegativeNumber,
  onError: optionRule.function,
  clock: optionRule.function,
} satisfies OptionRules<keyof SessionKeepAliveOptions>);

/**
 * Keeps a session alive while a long-lived connection (a WebSocket, a stream) is in use, as
 * Spring Session's WebSocket support does: call `touch()` on every sign of activity (each
 * message); at most once per `intervalMs` it sets the session's `lastAccessedTime` to now,
 * which restarts its inactivity timeout. For sessions stored by {@link LapseStore} it also
 * moves the stored `cookie.expires` on by the cookie's `originalMaxAge`, so express-session
 * and @fastify/session agree the session is still valid. (The browser's cookie keeps the
 * expiry it was last sent with: rolling sessions or session cookies avoid a mismatch.)
 *
 * Once the session is found gone, the keep-alive stops itself: it never recreates a session.
 *
 * @example
 * ```ts
 * const keepAlive = new SessionKeepAlive({ repository, sessionId, intervalMs: 30_000 });
 * socket.on('message', () => void keepAlive.touch());
 * socket.on('close', () => keepAlive.stop());
 * ```
 */
export class SessionKeepAlive {
  /** The session kept alive. */
  readonly sessionId: string;
  /** The shortest time between two refreshes, in ms. */
  readonly intervalMs: number;
  readonly #repository: Pick<SessionRepository, 'findById' | 'save'>;
  readonly #onError: (error: Error) => void;
  readonly #clock: () => number;
  #lastRefresh = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<boolean> | null = null;
  #stopped = false;

  /** Throws `InvalidArgumentError` for options it cannot use (an unknown name, a wrong type, a negative interval). */
  constructor(options: SessionKeepAliveOptions) {
    checkOptions(options, KEEP_ALIVE_OPTION_RULES, { owner: 'SessionKeepAlive', required: ['repository', 'sessionId'] });
    const { repository } = options;
    const intervalMs = options.intervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS;
    this.#repository = repository;
    this.sessionId = options.sessionId;
    this.intervalMs = intervalMs;
    this.#onError = options.onError ?? ((error) => process.emitWarning(error));
    this.#clock = options.clock ?? Date.now;
  }

  /** Whether it was stopped, by `stop()` or because the session was gone. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Reports activity. Refreshes the session when the last refresh is at least `intervalMs`
   * old (the first call always refreshes) and none is running. Resolves `true` when this call
   * refreshed the session, `false` otherwise (too soon, stopped, session gone, or an error,
   * which goes to `onError`); never rejects, so it can be called and forgotten.
   */
  touch(): Promise<boolean> {
    if (this.#stopped || this.#inFlight !== null) return Promise.resolve(false);
    const now = this.#clock();
    if (now - this.#lastRefresh < this.intervalMs) return Promise.resolve(false);
    this.#lastRefresh = now;
    const refresh = this.#refresh(now).catch((error: unknown) => {
      this.#lastRefresh = Number.NEGATIVE_INFINITY;
      this.#onError(error instanceof Error ? error : new LapseError('ERR_LAPSE_KEEP_ALIVE', String(error)));
      return false;
    });
    this.#inFlight = refresh;
    void refresh.finally(() => {
      this.#inFlight = null;
    });
    return refresh;
  }

  /** Stops refreshing (for example when the connection closes). */
  stop(): void {
    this.#stopped = true;
  }

  async #refresh(now: number): Promise<boolean> {
    const session = await this.#repository.findById(this.sessionId);
    if (this.#stopped) return false;
    if (session === null) {
      this.stop();
      return false;
    }
    session.lastAccessedTime = now;
    const cookie = session.getAttribute<unknown>('cookie');
    if (cookie !== null && typeof cookie === 'object' && !Array.isArray(cookie)) {
      const maxAge = (cookie as { originalMaxAge?: unknown }).originalMaxAge;
      if (typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0) {
        session.setAttribute('cookie', { ...cookie, expires: new Date(now + maxAge).toISOString() });
      }
    }
    const saved = await this.#repository.save(session);
    if (!saved) this.stop();
    return saved;
  }
}
