import { LapseError } from './LapseError.js';

/** The Redis types lapse's keys have (as `TYPE` names them). */
export type RedisKeyType = 'string' | 'hash' | 'set' | 'zset' | 'stream' | 'list' | (string & {});

/**
 * A key a lapse script was about to write holds another type than lapse's (someone wrote
 * something else there): the session's hash or shadow key, its `:idx` set, a principal index
 * set, a minute bucket, the bucket registry, the expiration sorted set or the event stream. Before
 * its first write every script checks the type of every key it will write to (a key it only
 * deletes excepted), so when this is thrown the call wrote nothing: Redis is as it was. Delete or repair {@link key}, and the call works again.
 */
export class WrongKeyTypeError extends LapseError {
  /** The key at fault. */
  readonly key: string;
  /** Its type in Redis (`TYPE`). */
  readonly actualType: RedisKeyType;
  /** The type lapse keeps there. */
  readonly expectedType: RedisKeyType;
  /** For example `EVALSHA lapse:delete-session`. */
  readonly command: string;
  /** The session concerned, when there is one (none for a sweep). */
  readonly sessionId: string | undefined;

  constructor(key: string, actualType: string, expectedType: string, command: string, sessionId: string | undefined) {
    super(
      'ERR_LAPSE_WRONG_KEY_TYPE',
      `${command}${sessionId === undefined ? '' : ` (session ${sessionId})`}: key ${key} is a ${actualType}, not a ${expectedType}; nothing was written (delete or repair the key)`,
    );
    this.key = key;
    this.actualType = actualType;
    this.expectedType = expectedType;
    this.command = command;
    this.sessionId = sessionId;
  }

  /** The error a script's `LAPSE_WRONGTYPE <actual> <expected> <key>` reply stands for, or `null` for another error. */
  static fromReply(error: unknown, command: string, sessionId: string | undefined): WrongKeyTypeError | null {
    if (!(error instanceof Error)) return null;
    const match = /LAPSE_WRONGTYPE (\S+) (\S+) (.*?)(?: script: [0-9a-f]+, on @user_script:\d+\.)?$/s.exec(error.message);
    return match === null ? null : new WrongKeyTypeError(match[3] as string, match[1] as string, match[2] as string, command, sessionId);
  }
}
