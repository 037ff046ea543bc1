import { createHash } from 'node:crypto';
import { openClient, rawCommands, type NodeRedis5, type RawCommands } from '../clients.js';
import { HASH_GRACE_MS, TIMEOUT_SECONDS } from '../session-data.js';
import { PeerCheckError, type OpsPeer } from './OpsPeer.js';

/**
 * The write of a request while the session is live (shadow key present): `lastAccessedTime`, the
 * changed attribute and both TTLs. KEYS: hash, shadow. ARGV: now, timeout ms, hash ttl ms,
 * attribute field, value.
 */
const WRITE = `if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastAccessedTime', ARGV[1], ARGV[4], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
const WRITE_SHA = createHash('sha1').update(WRITE).digest('hex');

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
    const keys = [this.#prefix + id, `${this.#prefix}expires:${id}`];
    const timeoutMs = TIMEOUT_SECONDS * 1000;
    const args = [String(Date.now()), String(timeoutMs), String(timeoutMs + HASH_GRACE_MS), 'sessionAttr:counter', String(counter)];
    const written = await this.#script(WRITE_SHA, WRITE, keys, args);
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
