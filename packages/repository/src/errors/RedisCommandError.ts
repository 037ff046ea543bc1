import { LapseError } from './LapseError.js';

/**
 * Redis refused or failed a command lapse sent (connection lost, timeout, `WRONGTYPE`, ACL, …).
 * `command` names the lapse operation and the Redis command (for scripts, the script's name).
 */
export class RedisCommandError extends LapseError {
  /** For example `EVALSHA lapse:save-session`. */
  readonly command: string;
  /** The session concerned, when there is one. */
  readonly sessionId: string | undefined;

  constructor(command: string, sessionId: string | undefined, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'ERR_LAPSE_REDIS',
      `${command}${sessionId === undefined ? '' : ` (session ${sessionId})`} failed: ${reason}`,
      { cause },
    );
    this.command = command;
    this.sessionId = sessionId;
  }
}
