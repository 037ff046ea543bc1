import { LapseError, type SessionRepository } from '@lapse/repository';
import { checkOptions, optionRule, type OptionRules } from '@lapse/repository/internal';

/**
 * How often a session is refreshed when its timeout is unknown or it never expires (it is read
 * again at each refresh), in ms: one minute.
 */
export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 60_000;

/**
 * The default share of the session's timeout that passes between two refreshes: a third. A
 * session of 2 s is refreshed at the first `touch()` 667 ms after the last refresh, one of 30
 * minutes after 10 minutes, so any activity at least every two thirds of the timeout keeps it alive.
 */
export const DEFAULT_KEEP_ALIVE_REFRESH_FRACTION = 1 / 3;

/** Options of {@link SessionKeepAlive}. */
export interface SessionKeepAliveOptions {
  /** Where the session is kept (a `RedisIndexedSessionRepository` or a `MapSessionRepository`). */
  repository: Pick<SessionRepository, 'findById' | 'save'>;
  /** The session to keep alive. */
  sessionId: string;
  /**
   * The share of the session's own timeout (its `maxInactiveInterval`, read from the stored
   * session at each refresh) that must pass since the last refresh before a `touch()` refreshes
   * again: more than 0, less than 1. Activity at least every `(1 - refreshFraction)` of the
   * timeout keeps the session alive; a smaller share writes more often.
   * @defaultValue {@link DEFAULT_KEEP_ALIVE_REFRESH_FRACTION} (a third)
   */
  refreshFraction?: number;
  /**
   * @deprecated The refresh follows the session's own timeout (see `refreshFraction`); leave this
   * out. Kept as a cap only: when given, a refresh also happens once `intervalMs` has passed since
   * the last one if that comes sooner (`0`: every `touch()` refreshes). It never delays a refresh,
   * so an old `intervalMs: 60_000` no longer lets a short session end.
   */
  intervalMs?: number;
  /**
   * Called once when a refresh finds the session gone (deleted, expired, or refused by `save`);
   * the keep-alive has stopped itself by then. A WebSocket closes here if nothing else told it.
   */
  onGone?: () => void;
  /**
   * Where a failed refresh is reported (the next `touch()` tries again).
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
  refreshFraction: optionRule.must('a number between 0 and 1 (exclusive)', (value) => typeof value === 'number' && value > 0 && value < 1),
  onError: optionRule.function,
  onGone: optionRule.function,
  clock: optionRule.function,
} satisfies OptionRules<keyof SessionKeepAliveOptions>);

/**
 * Keeps a session alive while a long-lived connection (a WebSocket, a stream) is in use, as
 * Spring Session's WebSocket support does: call `touch()` on every sign of activity (each
 * message). The first `touch()` refreshes the session; later ones refresh it once a share of
 * its own timeout (`refreshFraction`, a third by default) has passed since the last refresh, so
 * a session of any timeout stays alive while activity keeps coming, and a busy connection
 * writes to Redis about three times per timeout, not per message. A refresh reads the session
 * (learning its current timeout), sets its `lastAccessedTime` to now, which restarts its
 * inactivity timeout, and saves it. For sessions stored by {@link LapseStore} it also moves the
 * stored `cookie.expires` on by the cookie's `originalMaxAge`, so express-session and
 * @fastify/session agree the session is still valid. (The browser's cookie keeps the expiry it
 * was last sent with: rolling sessions or session cookies avoid a mismatch.)
 *
 * Once the session is found gone, the keep-alive stops itself and calls `onGone`: it never
 * recreates a session.
 *
 * @example
 * ```ts
 * const keepAlive = new SessionKeepAlive({ repository, sessionId, onGone: () => socket.close(4001, 'session ended') });
 * socket.on('message', () => void keepAlive.touch());
 * socket.on('close', () => keepAlive.stop());
 * ```
 */
export class SessionKeepAlive {
  /** The session kept alive. */
  readonly sessionId: string;
  /** The share of the session's timeout between two refreshes. */
  readonly refreshFraction: number;
  /**
   * @deprecated The cap on the time between two refreshes given as `intervalMs`
   * (`Infinity` when none was).
   */
  readonly intervalMs: number;
  readonly #repository: Pick<SessionRepository, 'findById' | 'save'>;
  readonly #onError: (error: Error) => void;
  readonly #onGone: (() => void) | undefined;
  readonly #clock: () => number;
  #lastRefresh = Number.NEGATIVE_INFINITY;
  /** The session's timeout in ms as last read (`null`: not read yet, or it never expires). */
  #timeoutMs: number | null = null;
  #inFlight: Promise<boolean> | null = null;
  #stopped = false;

  /** Throws `InvalidArgumentError` for options it cannot use (an unknown name, a wrong type, a negative interval). */
  constructor(options: SessionKeepAliveOptions) {
    checkOptions(options, KEEP_ALIVE_OPTION_RULES, { owner: 'SessionKeepAlive', required: ['repository', 'sessionId'] });
    const { repository } = options;
    const intervalMs = options.intervalMs ?? Number.POSITIVE_INFINITY;
    const refreshFraction = options.refreshFraction ?? DEFAULT_KEEP_ALIVE_REFRESH_FRACTION;
    this.#repository = repository;
    this.sessionId = options.sessionId;
    this.refreshFraction = refreshFraction;
    this.intervalMs = intervalMs;
    this.#onError = options.onError ?? ((error) => process.emitWarning(error));
    this.#onGone = options.onGone;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * The time from one refresh to the next, in ms: `refreshFraction` of the session's timeout as
   * last read (one minute while unknown or for a session that never expires), capped by the
   * deprecated `intervalMs`.
   */
  get refreshAfterMs(): number {
    const own = this.#timeoutMs === null ? DEFAULT_KEEP_ALIVE_INTERVAL_MS : this.#timeoutMs * this.refreshFraction;
    return Math.min(own, this.intervalMs);
  }

  /** Whether it was stopped, by `stop()` or because the session was gone. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Reports activity. Refreshes the session when the last refresh is at least
   * {@link refreshAfterMs} old (the first call always refreshes) and none is running. Resolves `true` when this call
   * refreshed the session, `false` otherwise (too soon, stopped, session gone, or an error,
   * which goes to `onError`); never rejects, so it can be called and forgotten.
   */
  touch(): Promise<boolean> {
    if (this.#stopped || this.#inFlight !== null) return Promise.resolve(false);
    const now = this.#clock();
    if (now - this.#lastRefresh < this.refreshAfterMs) return Promise.resolve(false);
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
    if (session === null) return this.#gone();
    this.#timeoutMs = session.maxInactiveInterval > 0 ? session.maxInactiveInterval * 1000 : null;
    session.lastAccessedTime = now;
    const cookie = session.getAttribute<unknown>('cookie');
    if (cookie !== null && typeof cookie === 'object' && !Array.isArray(cookie)) {
      const maxAge = (cookie as { originalMaxAge?: unknown }).originalMaxAge;
      if (typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0) {
        session.setAttribute('cookie', { ...cookie, expires: new Date(now + maxAge).toISOString() });
      }
    }
    const saved = await this.#repository.save(session);
    return saved ? true : this.#gone();
  }

  #gone(): false {
    if (this.#stopped) return false;
    this.stop();
    if (this.#onGone !== undefined) {
      try {
        this.#onGone();
      } catch (error) {
        this.#onError(error instanceof Error ? error : new LapseError('ERR_LAPSE_KEEP_ALIVE', String(error)));
      }
    }
    return false;
  }
}
