import { createHash } from 'node:crypto';
import type { CommandArgument, RedisConnection, RedisReply, ScriptSource } from './clients/RedisConnection.js';

/**
 * How a script call is sent: the repository's runner adds `commandTimeoutMs`, lapse's error
 * types and the database check around {@link LuaScript.run}. `sessionId` names the session in
 * errors (none for a sweep).
 */
export type ScriptRunner = (
  script: LuaScript,
  keys: readonly string[],
  args: readonly CommandArgument[],
  sessionId?: string,
) => Promise<RedisReply>;

/**
 * A Lua script sent as EVALSHA, falling back to EVAL once when Redis does not have it
 * (first use, `SCRIPT FLUSH`, restart; see {@link RedisConnection.runScript}). It does not add
 * commands to the caller's client, so lapse leaves the application's connection as it found it.
 */
export class LuaScript implements ScriptSource {
  /** SHA1 of the source, as Redis names it. */
  readonly sha: string;
  /** How errors name a call of it: `EVALSHA <name>`. */
  readonly command: string;

  constructor(
    /** Name used in error messages, e.g. `lapse:save-session`. */
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
    this.command = `EVALSHA ${name}`;
  }

  /** Runs the script: one round trip (two the first time on a server). */
  run(connection: RedisConnection, keys: readonly string[], args: readonly CommandArgument[]): Promise<RedisReply> {
    return connection.runScript(this, keys, args);
  }
}
