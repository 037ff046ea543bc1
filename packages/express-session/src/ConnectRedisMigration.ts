import { CorruptSessionDataError, InvalidArgumentError, RedisCommandError } from '@lapse/repository';
import { type RedisConnection, type ScriptSource } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import { createHash } from 'node:crypto';

/** connect-redis's default key prefix (`sess:`), where an app that set no `prefix` kept its sessions. */
export const CONNECT_REDIS_DEFAULT_PREFIX = 'sess:';

/** Where {@link LapseStore} looks for sessions connect-redis wrote (its `migrateFrom` option). */
export interface MigrateFrom {
  /**
   * connect-redis's `prefix`: a session `<id>` it wrote is the string key `<prefix><id>`.
   * @defaultValue the store's `prefix` option when one is given (the app kept its line), else
   * {@link CONNECT_REDIS_DEFAULT_PREFIX} (`'sess:'`, connect-redis's default)
   */
  prefix?: string;
}

/**
 * Claims connect-redis's key of a session, once: its value and remaining TTL (ms; -1 for none),
 * deleted in the same step, so of concurrent claims (any process) exactly one gets it. Only a
 * non-empty string is a connect-redis session (a key of lapse's own layout, a hash or a sorted
 * set, is never taken).
 */
const CLAIM_SOURCE = `local kind = redis.call('TYPE', KEYS[1])
if type(kind) == 'table' then kind = kind.ok end
if kind ~= 'string' then return false end
local value = redis.call('GET', KEYS[1])
if value == '' then return false end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
return {value, ttl}`;

const CLAIM: ScriptSource & { readonly command: string } = Object.freeze({
  sha: createHash('sha1').update(CLAIM_SOURCE).digest('hex'),
  source: CLAIM_SOURCE,
  command: 'EVALSHA lapse:claim-connect-redis-session',
});

/** Restores a claimed key whose session could not be written (only if nothing took its place). */
const RESTORE_SOURCE = `if tonumber(ARGV[2]) > 0 then return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') end
return redis.call('SET', KEYS[1], ARGV[1], 'NX')`;

const RESTORE: ScriptSource & { readonly command: string } = Object.freeze({
  sha: createHash('sha1').update(RESTORE_SOURCE).digest('hex'),
  source: RESTORE_SOURCE,
  command: 'EVALSHA lapse:restore-connect-redis-session',
});

/** The `migrateFrom` option checked: the prefix to read, or `false` (off). */
export function resolveMigrateFrom(option: unknown, storePrefix: string | undefined): { readonly prefix: string } | false {
  if (option === false) return false;
  if (option === undefined) return { prefix: storePrefix ?? CONNECT_REDIS_DEFAULT_PREFIX };
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    throw new InvalidArgumentError('migrateFrom', `must be false or { prefix }, got ${option === null ? 'null' : typeof option}`);
  }
  for (const name of Object.keys(option)) {
    if (name !== 'prefix') throw new InvalidArgumentError(`migrateFrom.${name}`, 'is not an option of migrateFrom (known: prefix)');
  }
  const { prefix } = option as MigrateFrom;
  if (prefix !== undefined && typeof prefix !== 'string') throw new InvalidArgumentError('migrateFrom.prefix', `must be a string, got ${typeof prefix}`);
  return { prefix: prefix ?? storePrefix ?? CONNECT_REDIS_DEFAULT_PREFIX };
}

/** What the migration needs of the store. */
export interface ConnectRedisMigrationOptions {
  /** connect-redis's prefix. */
  readonly prefix: string;
  readonly connection: RedisConnection;
  /** connect-redis's `serializer.parse` (the store's `serializer`). */
  readonly parse: (text: string) => SessionData | Promise<SessionData>;
  /** Stores the session in lapse's layout (the store's `set`: its expiry from the cookie, as connect-redis's TTL was). */
  readonly write: (sid: string, data: SessionData) => Promise<void>;
  /** Reads the session from lapse's layout (the store's `get` without migration). */
  readonly read: (sid: string) => Promise<SessionData | null>;
}

/**
 * Moves sessions connect-redis wrote into lapse's layout as they are used: on a miss of the
 * layout, the store claims connect-redis's key for that id (value, remaining TTL and its
 * deletion in one script: of concurrent claims, in any number of processes, one gets it),
 * stores the session through its own `set` (a `created` event, then the usual `deleted` and
 * `expired` ones), and reads it back. Concurrent misses of one id in this process share the
 * move. A session whose claimed text cannot be parsed rejects with
 * `CorruptSessionDataError`; a session whose write fails is put back (unless something took
 * its key meanwhile) and the write's error rejects.
 */
export class ConnectRedisMigration {
  readonly #options: ConnectRedisMigrationOptions;
  readonly #moves = new Map<string, Promise<boolean>>();

  constructor(options: ConnectRedisMigrationOptions) {
    this.#options = options;
  }

  /** The session connect-redis kept for `sid`, moved into lapse's layout, or `null` when there is none. */
  async take(sid: string): Promise<SessionData | null> {
    let move = this.#moves.get(sid);
    if (move === undefined) {
      move = this.#move(sid).finally(() => this.#moves.delete(sid));
      this.#moves.set(sid, move);
    }
    return (await move) ? this.#options.read(sid) : null;
  }

  async #move(sid: string): Promise<boolean> {
    const { connection, prefix } = this.#options;
    const key = prefix + sid;
    let reply;
    try {
      reply = await connection.runScript(CLAIM, [key], []);
    } catch (error) {
      throw new RedisCommandError(CLAIM.command, sid, error);
    }
    if (!Array.isArray(reply)) return false;
    const text = String(reply[0]);
    const ttlMs = Number(reply[1]);
    let data: SessionData;
    try {
      data = await this.#options.parse(text);
    } catch (error) {
      throw new CorruptSessionDataError(sid, key, `the session connect-redis stored cannot be parsed: ${String(error)}`, { cause: error });
    }
    if (data === null || typeof data !== 'object') throw new CorruptSessionDataError(sid, key, 'the session connect-redis stored is not an object');
    try {
      await this.#options.write(sid, data);
    } catch (error) {
      await connection.runScript(RESTORE, [key], [text, String(ttlMs)]).catch(() => undefined);
      throw error;
    }
    return true;
  }
}
