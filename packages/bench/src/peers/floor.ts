import { createHash } from 'node:crypto';
import session, { type SessionData } from 'express-session';
import { openClient, rawCommands, type NodeRedis5, type RawCommands } from '../clients.js';
import { HASH_GRACE_MS, TIMEOUT_SECONDS } from '../session-data.js';
import { PeerCheckError, type OpsPeer } from './OpsPeer.js';

/**
 * The floor of lapse's layout, with no lapse code: the one script both floors write with (the
 * operations benchmark's {@link RepositoryFloorPeer} and the store comparison's {@link FloorStore}).
 * A write while the session is live (shadow key present): `lastAccessedTime`, the changed fields,
 * the removed fields, both TTLs; or, for a new session (setup only), its fields, the shadow key
 * and the hash's TTL. KEYS: hash, shadow. ARGV: now, timeout ms, hash ttl ms, n changed,
 * new ('1' or '0'), the n field/value pairs, then the removed field names.
 */
const WRITE = `local n = tonumber(ARGV[4])
local new = ARGV[5] == '1'
if not new and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastAccessedTime', ARGV[1], unpack(ARGV, 6, 5 + 2 * n))
if #ARGV > 5 + 2 * n then redis.call('HDEL', KEYS[1], unpack(ARGV, 6 + 2 * n)) end
if new then redis.call('SET', KEYS[2], '0', 'PX', ARGV[2]) else redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
const WRITE_SHA = createHash('sha1').update(WRITE).digest('hex');

/** What one floor write sets: the field/value pairs besides `lastAccessedTime`, the fields removed, and whether the session is new. */
interface FloorWrite {
  readonly now: number;
  readonly timeoutMs: number;
  readonly pairs: readonly string[];
  readonly removed?: readonly string[];
  readonly create?: boolean;
}

/** One EVALSHA of {@link WRITE} for session `id` under `prefix` (`<namespace>:sessions:`): 1, or 0 when the session has ended. */
function floorWrite(script: RawCommands['script'], prefix: string, id: string, write: FloorWrite): Promise<unknown> {
  const { now, timeoutMs, pairs, removed = [] } = write;
  const args = [String(now), String(timeoutMs), String(timeoutMs + HASH_GRACE_MS), String(pairs.length / 2), write.create === true ? '1' : '0', ...pairs, ...removed];
  return script(WRITE_SHA, WRITE, [prefix + id, `${prefix}expires:${id}`], args);
}

/**
 * The floor of lapse's layout for findById + delta save, with no lapse code: HGETALL of the hash
 * (liveness from its metadata), then one EVALSHA writing `lastAccessedTime`, the attribute and
 * both TTLs while the shadow key exists; on node-redis 5.9, on the sessions lapse's node-redis
 * peer wrote (same namespace). It leaves out what a request needs once a minute per session at
 * most (moving it to the next minute bucket), so it is a little below what lapse can reach.
 * Only `request` is measured.
 */
export class RepositoryFloorPeer implements OpsPeer<string> {
  readonly name = 'floor' as const;
  readonly #client: NodeRedis5;
  readonly #script: RawCommands['script'];
  readonly #close: () => Promise<void>;
  readonly #prefix: string;
  readonly #fill: (n: number, onProgress?: (done: number) => void) => Promise<string[]>;

  private constructor(client: NodeRedis5, script: RawCommands['script'], close: () => Promise<void>, namespace: string, fill: RepositoryFloorPeer['fill']) {
    this.#client = client;
    this.#script = script;
    this.#close = close;
    this.#prefix = `${namespace}:sessions:`;
    this.#fill = fill;
  }

  /** `namespace` and `fill`: those of the lapse peer whose sessions the floor reads and writes. */
  static async open(url: string, namespace: string, fill: RepositoryFloorPeer['fill']): Promise<RepositoryFloorPeer> {
    const open = await openClient('node-redis', url);
    return new RepositoryFloorPeer(open.client as NodeRedis5, rawCommands(open).script, open.close, namespace, fill);
  }

  fill(n: number, onProgress?: (done: number) => void): Promise<string[]> {
    return this.#fill(n, onProgress);
  }

  async load(id: string): Promise<string> {
    const hash = (await this.#client.sendCommand(['HGETALL', this.#prefix + id])) as string[];
    let last = Number.NaN;
    let timeout = Number.NaN;
    for (let i = 0; i < hash.length; i += 2) {
      if (hash[i] === 'lastAccessedTime') last = Number(hash[i + 1]);
      else if (hash[i] === 'maxInactiveInterval') timeout = Number(hash[i + 1]) * 1000;
    }
    if (!(Date.now() - last < timeout)) throw new PeerCheckError(`floor: session ${id} not found`);
    return id;
  }

  async request(id: string, counter: number): Promise<void> {
    await this.load(id);
    const written = await floorWrite(this.#script, this.#prefix, id, { now: Date.now(), timeoutMs: TIMEOUT_SECONDS * 1000, pairs: ['sessionAttr:counter', String(counter)] });
    if (written !== 1) throw new PeerCheckError(`floor: save of ${id} refused`);
  }

  saveNew(): Promise<void> {
    return Promise.reject(new PeerCheckError('floor: only findById + delta save is measured'));
  }

  findById(): Promise<void> {
    return this.saveNew();
  }

  deltaSave(): Promise<void> {
    return this.saveNew();
  }

  deleteById(): Promise<void> {
    return this.saveNew();
  }

  close(): Promise<void> {
    return this.#close();
  }
}

const ATTRIBUTE = 'sessionAttr:';

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
    const read = this.#read.get(sid);
    this.#read.delete(sid);
    if (read === undefined) {
      const pairs = ['creationTime', String(now), 'maxInactiveInterval', String(Math.ceil(timeoutMs / 1000)), ...Object.entries(fields).flat()];
      await floorWrite(this.#redis.script, this.#prefix, sid, { now, timeoutMs, pairs, create: true });
      return;
    }
    const changed: string[] = [];
    for (const name in fields) if (read[name] !== fields[name]) changed.push(name, fields[name] as string);
    const removed = Object.keys(read).filter((name) => name.startsWith(ATTRIBUTE) && !(name in fields));
    await floorWrite(this.#redis.script, this.#prefix, sid, { now, timeoutMs, pairs: changed, removed });
  }
}
