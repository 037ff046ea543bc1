import { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import { LapseError } from '../errors/LapseError.js';
import { RedisCommandError } from '../errors/RedisCommandError.js';
import { WrongDatabaseError } from '../errors/WrongDatabaseError.js';
import { WrongKeyTypeError } from '../errors/WrongKeyTypeError.js';
import type { SessionKeyspace } from '../keys/SessionKeyspace.js';
import type { RedisConnection, RedisReply } from '../redis/clients/RedisConnection.js';
import { CommandDeadlines, type CallFailures } from '../redis/CommandDeadlines.js';
import type { ScriptRunner } from '../redis/LuaScript.js';

/**
 * How the repository sends everything: `commandTimeoutMs` on every call, lapse's error types,
 * and, before the first command, the check that the connection is on the database asked for.
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

  /** Runs a script (see {@link ScriptRunner}) as one call. */
  readonly runScript: ScriptRunner = (script, keys, args, sessionId) =>
    this.call(script.command, sessionId, () => this.connection.runScript(script, keys, args));

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
