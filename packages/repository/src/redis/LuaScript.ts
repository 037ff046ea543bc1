import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { sendCommand } from './sendCommand.js';

/**
 * A Lua script sent as EVALSHA, falling back to EVAL once when Redis does not have it
 * (first use, `SCRIPT FLUSH`, restart). It does not add commands to the caller's client
 * (unlike `defineCommand`), so lapse leaves the application's connection as it found it.
 */
export class LuaScript {
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
  run(redis: Redis | Cluster, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return sendCommand(redis, 'evalsha', [this.sha, keys.length, ...keys, ...args]).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    });
  }
}
