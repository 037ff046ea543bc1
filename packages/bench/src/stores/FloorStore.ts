import { createHash } from 'node:crypto';
import session, { type SessionData } from 'express-session';
import type { RawCommands } from '../clients.js';
import { HASH_GRACE_MS } from '../session-data.js';

const ATTRIBUTE = 'sessionAttr:';

/**
 * A write while the session is live (shadow key present): the changed fields, `lastAccessedTime`,
 * the removed fields, both TTLs. KEYS: hash, shadow. ARGV: now, timeout ms, hash ttl ms,
 * n changed, the n field/value pairs, then the removed field names.
 */
const WRITE = `if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local n = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'lastAccessedTime', ARGV[1], unpack(ARGV, 5, 4 + 2 * n))
if #ARGV > 4 + 2 * n then redis.call('HDEL', KEYS[1], unpack(ARGV, 5 + 2 * n)) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** A new session (setup only): hash, shadow key, both TTLs. KEYS: hash, shadow. ARGV: timeout ms, hash ttl ms, field/value pairs. */
const CREATE = `redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('SET', KEYS[2], '0', 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const WRITE_SHA = sha1(WRITE);
const CREATE_SHA = sha1(CREATE);

type Callback<T> = (error?: unknown, value?: T) => void;

/**
 * The floor of lapse's layout for express-session: a store-shaped object that sends only what
 * the layout needs, with no lapse code. `get` = one HGETALL (the cookie's `expires` is derived
 * from `lastAccessedTime` + `originalMaxAge`, so a rolling request does not rewrite the cookie);
 * `set` and `touch` = one EVALSHA writing the fields that differ from what `get` read,
 * `lastAccessedTime` and both TTLs (hash and shadow key) while the shadow key exists. No
 * expiration index, no principal index, no events: what a lapse store cannot go below.
 */
export class FloorStore extends session.Store {
  readonly #redis: RawCommands;
  readonly #prefix: string;
  /** The serialized fields `get` read, by session id, until the next write. */
  readonly #read = new Map<string, Record<string, string>>();

  constructor(redis: RawCommands, namespace = 'spring:session') {
    super();
    this.#redis = redis;
    this.#prefix = `${namespace}:sessions:`;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.#redis.hgetall(this.#prefix + sid).then((hash) => callback(undefined, this.#decode(sid, hash)), callback);
  }

  override set(sid: string, data: SessionData, callback?: Callback<void>): void {
    this.#write(sid, data).then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override touch(sid: string, data: SessionData, callback?: Callback<void>): void {
    this.set(sid, data, callback);
  }

  override destroy(sid: string, callback?: Callback<void>): void {
    this.#read.delete(sid);
    callback?.(new Error('FloorStore.destroy is not measured'));
  }

  #decode(sid: string, hash: Record<string, string>): SessionData | null {
    const last = Number(hash['lastAccessedTime']);
    const timeout = Number(hash['maxInactiveInterval']) * 1000;
    if (!Number.isFinite(last) || Date.now() - last >= timeout) return null;
    const data: Record<string, unknown> = {};
    for (const field in hash) {
      if (field.startsWith(ATTRIBUTE)) data[field.slice(ATTRIBUTE.length)] = JSON.parse(hash[field] as string) as unknown;
    }
    const cookie = data['cookie'] as { originalMaxAge?: number | null; expires?: string } | undefined;
    if (cookie !== undefined && typeof cookie.originalMaxAge === 'number') cookie.expires = new Date(last + cookie.originalMaxAge).toISOString();
    this.#read.set(sid, hash);
    return data as unknown as SessionData;
  }

  async #write(sid: string, data: SessionData): Promise<void> {
    const now = Date.now();
    const expires = data.cookie.expires === undefined || data.cookie.expires === null ? null : new Date(data.cookie.expires).getTime();
    const timeoutMs = expires === null ? 86_400_000 : Math.max(1000, expires - now);
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(data)) {
      if (name === 'cookie') {
        const { expires: _expires, ...rest } = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        fields[ATTRIBUTE + name] = JSON.stringify(rest);
      } else if (value !== undefined) {
        fields[ATTRIBUTE + name] = JSON.stringify(value);
      }
    }
    const keys = [this.#prefix + sid, `${this.#prefix}expires:${sid}`];
    const read = this.#read.get(sid);
    this.#read.delete(sid);
    if (read === undefined) {
      const pairs = ['creationTime', String(now), 'maxInactiveInterval', String(Math.ceil(timeoutMs / 1000)), 'lastAccessedTime', String(now), ...Object.entries(fields).flat()];
      await this.#redis.script(CREATE_SHA, CREATE, keys, [String(timeoutMs), String(timeoutMs + HASH_GRACE_MS), ...pairs]);
      return;
    }
    const changed: string[] = [];
    for (const name in fields) if (read[name] !== fields[name]) changed.push(name, fields[name] as string);
    const removed = Object.keys(read).filter((name) => name.startsWith(ATTRIBUTE) && !(name in fields));
    const args = [String(now), String(timeoutMs), String(timeoutMs + HASH_GRACE_MS), String(changed.length / 2), ...changed, ...removed];
    await this.#redis.script(WRITE_SHA, WRITE, keys, args);
  }
}
