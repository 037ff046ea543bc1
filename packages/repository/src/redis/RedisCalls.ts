import { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import { LapseError } from '../errors/LapseError.js';
import { RedisCommandError } from '../errors/RedisCommandError.js';
import { WrongDatabaseError } from '../errors/WrongDatabaseError.js';
import { WrongKeyTypeError } from '../errors/WrongKeyTypeError.js';
import type { SessionKeyspace } from '../keys/SessionKeyspace.js';
import type { CommandArgument, RedisConnection, RedisReply } from './clients/RedisConnection.js';
import type { AnyScript, ReplyOf, ScriptRunner } from './LuaScript.js';

/**
 * How the repository sends everything: `commandTimeoutMs` on every call (one timer for all of
 * them, {@link CommandDeadlines}), lapse's error types, and, before the first command, the check
 * that the connection is on the database asked for. Scripts go straight to the connection's
 * `runScript`.
 */
export class RedisCalls {
  readonly #deadlines: CommandDeadlines;
  /** Set once Redis confirmed the connection is on the database asked for. */
  #onDatabase = false;
  #databaseCheck: Promise<void> | null = null;

  constructor(
    readonly connection: RedisConnection,
    private readonly keyspace: SessionKeyspace,
    private readonly database: number,
    private readonly timeoutMs: number,
  ) {
    this.#deadlines = new CommandDeadlines(timeoutMs);
  }

  /** Runs a script (see {@link ScriptRunner}) as one call: EVALSHA, EVAL when Redis does not have it. */
  readonly runScript: ScriptRunner = <S extends AnyScript>(script: S, keys: readonly string[], args: readonly CommandArgument[], sessionId?: string) =>
    this.call(script.command, sessionId, () => this.connection.runScript(script, keys, args)).then(script.parseReply as (reply: RedisReply) => ReplyOf<S>);

  /** Sends one command as one call; `key` routes it on a Cluster. */
  send(command: string, args: readonly (string | number)[], key: string, sessionId?: string): Promise<RedisReply> {
    return this.call(command, sessionId, () => this.connection.send(command, args, key));
  }

  /**
   * Sends one command (or script, or a few sent together) with `commandTimeoutMs` and lapse's
   * error types; a single promise, without async wrappers, on the hot path.
   */
  call<T>(command: string, sessionId: string | undefined, send: () => Promise<T>): Promise<T> {
    if (!this.#onDatabase) return this.checkDatabase().then(() => this.call(command, sessionId, send));
    let sent: Promise<T>;
    try {
      sent = send();
    } catch (error) {
      sent = Promise.reject(error as Error);
    }
    return this.#deadlines.run(sent, command, sessionId, this.#failures);
  }

  /**
   * Asks Redis, once per repository and before its first command, which database the
   * connection is on: a client whose SELECT failed (ioredis carries on on database 0) would
   * otherwise read, write and delete another database's keys. A wrong database is remembered
   * (every call rejects with {@link WrongDatabaseError}); a failed check is tried again.
   */
  checkDatabase(): Promise<void> {
    if (this.#onDatabase) return Promise.resolve();
    this.#databaseCheck ??= this.#deadlines
      .run(this.connection.currentDatabase(), 'CLIENT INFO', undefined, this.#failures)
      .then(
        (actual) => {
          if (actual !== this.database) throw new WrongDatabaseError(this.database, actual);
          this.#onDatabase = true;
        },
        (error: unknown) => {
          this.#databaseCheck = null;
          throw error;
        },
      );
    return this.#databaseCheck;
  }

  /** How calls fail: a timeout, and the error a failed command rejects with (lapse's own as they are, a key a script found of the wrong type as {@link WrongKeyTypeError}, another wrong key type as corrupt data). */
  readonly #failures: CallFailures = {
    timeout: (command, sessionId) =>
      new RedisCommandError(command, sessionId, new Error(`no answer from Redis within ${this.timeoutMs} ms (option commandTimeoutMs)`)),
    commandError: (command, sessionId, error) => {
      if (error instanceof LapseError) return error;
      const wrongType = WrongKeyTypeError.fromReply(error, command, sessionId);
      if (wrongType !== null) return wrongType;
      if (error instanceof Error && error.message.startsWith('WRONGTYPE') && sessionId !== undefined) {
        return new CorruptSessionDataError(sessionId, this.keyspace.of(sessionId).sessionKey(sessionId), `a key of the session has the wrong type (${command})`, { cause: error });
      }
      return new RedisCommandError(command, sessionId, error);
    },
  };
}

/** How a call's failures are reported: the error of a timeout, and the one a failed command rejects with. */
export interface CallFailures {
  timeout(command: string, sessionId: string | undefined): Error;
  commandError(command: string, sessionId: string | undefined, error: unknown): unknown;
}

/** A call waiting for Redis. */
interface Waiting {
  readonly deadline: number;
  readonly command: string;
  readonly sessionId: string | undefined;
  readonly failures: CallFailures;
  readonly reject: (error: unknown) => void;
}

/**
 * The `commandTimeoutMs` of every call in flight, kept by one timer.
 *
 * Every call has the same timeout, so calls reach their deadlines in the order they started:
 * the set (insertion-ordered) is sorted by deadline, and one timer armed for its oldest entry
 * serves them all. A timer and a `Promise.race` per call cost the hot path an allocation of
 * each and a timer-list insert and removal per call.
 */
export class CommandDeadlines {
  readonly #waiting = new Set<Waiting>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly timeoutMs: number) {}

  /**
   * Resolves as `sent` does; rejects with `failures.commandError(…)` of its error, or with
   * `failures.timeout(…)` when `timeoutMs` passes first (a late answer is then ignored).
   * The failures are described by an object, not closures, so that a call allocates little.
   */
  run<T>(sent: Promise<T>, command: string, sessionId: string | undefined, failures: CallFailures): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { deadline: Date.now() + this.timeoutMs, command, sessionId, failures, reject };
      this.#waiting.add(waiting);
      this.#arm();
      sent.then(
        (value) => {
          this.#waiting.delete(waiting);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiting.delete(waiting);
          reject(failures.commandError(command, sessionId, error));
        },
      );
    });
  }

  #arm(): void {
    if (this.#timer !== null) return;
    const oldest = this.#waiting.values().next();
    if (oldest.done === true) return;
    this.#timer = setTimeout(this.#fire, Math.max(0, oldest.value.deadline - Date.now()));
    // A call in flight keeps the process alive through its connection, not through this timer.
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = null;
    const now = Date.now();
    for (const waiting of this.#waiting) {
      if (waiting.deadline > now) break;
      this.#waiting.delete(waiting);
      waiting.reject(waiting.failures.timeout(waiting.command, waiting.sessionId));
    }
    this.#arm();
  };
}
