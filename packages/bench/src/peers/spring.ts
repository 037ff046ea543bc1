import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { attributesFor, inParallel, TIMEOUT_SECONDS } from '../session-data.js';
import { PeerCheckError, type OpsPeer } from './OpsPeer.js';

/** Spring's `roundUpToNextMinute`. */
function roundUpToNextMinute(epochMs: number): number {
  return Math.floor(epochMs / 60_000) * 60_000 + 60_000;
}

interface Loaded {
  readonly id: string;
  originalLastAccessedTime: number;
  readonly maxInactiveInterval: number;
}

/**
 * Spring Session's `RedisIndexedSessionRepository` (servlet, minute-based expiration store) as
 * it talks to Redis: the command sequences of `docs/spring-session.md` §2.2–2.5, sent on
 * one ioredis connection one after another, each awaited before the next (Spring uses no
 * pipelining, MULTI or Lua). Values are JSON, as with Spring's JSON serializer; ids are UUIDs.
 */
export class SpringSequencePeer implements OpsPeer<Loaded> {
  readonly name = 'spring-sequence' as const;
  readonly #redis: Redis;
  readonly #ns: string;

  constructor(url: string, namespace: string) {
    this.#redis = new Redis(url);
    this.#ns = namespace;
  }

  #hash(id: string): string {
    return `${this.#ns}:sessions:${id}`;
  }

  #shadow(id: string): string {
    return `${this.#ns}:sessions:expires:${id}`;
  }

  #bucket(minute: number): string {
    return `${this.#ns}:expirations:${minute}`;
  }

  /** §2.2: HMSET, PUBLISH created, APPEND shadow, PEXPIRE shadow, PEXPIRE hash, PEXPIRE bucket, SADD bucket. */
  #newSessionCommands(i: number): { id: string; commands: (string | number)[][] } {
    const id = randomUUID();
    const now = Date.now();
    const attributes = attributesFor(i);
    const delta: Record<string, unknown> = {
      creationTime: now,
      maxInactiveInterval: TIMEOUT_SECONDS,
      lastAccessedTime: now,
      'sessionAttr:user': attributes.user,
      'sessionAttr:csrf': attributes.csrf,
      'sessionAttr:locale': attributes.locale,
    };
    const fields = Object.entries(delta).flatMap(([field, value]) => [field, JSON.stringify(value)]);
    const bucket = this.#bucket(roundUpToNextMinute(now + TIMEOUT_SECONDS * 1000));
    const hashTtl = (TIMEOUT_SECONDS + 300) * 1000;
    return {
      id,
      commands: [
        ['hmset', this.#hash(id), ...fields],
        ['publish', `${this.#ns}:event:0:created:${id}`, JSON.stringify(delta)],
        ['append', this.#shadow(id), ''],
        ['pexpire', this.#shadow(id), TIMEOUT_SECONDS * 1000],
        ['pexpire', this.#hash(id), hashTtl],
        ['pexpire', bucket, hashTtl],
        ['sadd', bucket, `expires:${id}`],
      ],
    };
  }

  async fill(n: number, onProgress?: (done: number) => void): Promise<string[]> {
    const ids: string[] = [];
    const batch = 500;
    await inParallel(Math.ceil(n / batch), 4, async (b) => {
      const pipeline = this.#redis.pipeline();
      for (let i = b * batch; i < Math.min(n, (b + 1) * batch); i++) {
        const { id, commands } = this.#newSessionCommands(i);
        ids.push(id);
        for (const [name, ...args] of commands) pipeline.call(String(name), ...args);
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    }, onProgress === undefined ? undefined : (done) => onProgress(Math.min(n, done * batch)));
    return ids;
  }

  async saveNew(i: number): Promise<void> {
    for (const [name, ...args] of this.#newSessionCommands(i).commands) await this.#redis.call(String(name), ...args);
  }

  async findById(id: string): Promise<void> {
    await this.load(id);
  }

  /** §2.4: HGETALL, mapped like Spring's RedisSessionMapper; expired sessions are null. */
  async load(id: string): Promise<Loaded> {
    const hash = await this.#redis.hgetall(this.#hash(id));
    const values = new Map<string, unknown>();
    for (const [field, text] of Object.entries(hash)) values.set(field, JSON.parse(text) as unknown);
    const creationTime = values.get('creationTime');
    const lastAccessedTime = values.get('lastAccessedTime');
    const maxInactiveInterval = values.get('maxInactiveInterval');
    if (typeof creationTime !== 'number' || typeof lastAccessedTime !== 'number' || typeof maxInactiveInterval !== 'number') {
      throw new PeerCheckError(`Spring sequence: session ${id} not found`);
    }
    if (maxInactiveInterval >= 0 && Date.now() - maxInactiveInterval * 1000 >= lastAccessedTime) {
      throw new PeerCheckError(`Spring sequence: session ${id} expired`);
    }
    return { id, originalLastAccessedTime: lastAccessedTime, maxInactiveInterval };
  }

  /**
   * §2.3 after the read: HMSET lastAccessedTime + the attribute, APPEND shadow, PEXPIRE shadow,
   * PEXPIRE hash, SREM old bucket (only when the minute changed), PEXPIRE bucket, SADD bucket.
   */
  async deltaSave(session: Loaded, counter: number): Promise<void> {
    const r = this.#redis;
    const { id, maxInactiveInterval } = session;
    const now = Date.now();
    const timeoutMs = maxInactiveInterval * 1000;
    const hashTtl = timeoutMs + 300_000;
    await r.hmset(this.#hash(id), 'lastAccessedTime', JSON.stringify(now), 'sessionAttr:counter', JSON.stringify(counter));
    await r.append(this.#shadow(id), '');
    await r.pexpire(this.#shadow(id), timeoutMs);
    await r.pexpire(this.#hash(id), hashTtl);
    const original = roundUpToNextMinute(session.originalLastAccessedTime + timeoutMs);
    const next = roundUpToNextMinute(now + timeoutMs);
    if (original !== next) await r.srem(this.#bucket(original), `expires:${id}`);
    await r.pexpire(this.#bucket(next), hashTtl);
    await r.sadd(this.#bucket(next), `expires:${id}`);
    session.originalLastAccessedTime = now;
  }

  /**
   * §2.5: HGETALL, HGETALL (expiration store), SREM bucket, DEL shadow, then the save with
   * maxInactiveInterval 0: HMSET, DEL shadow, PEXPIRE hash 300 s, PEXPIRE + SADD bucket.
   */
  async deleteById(id: string): Promise<void> {
    const r = this.#redis;
    const hash = await r.hgetall(this.#hash(id));
    if (hash['lastAccessedTime'] === undefined) throw new PeerCheckError(`Spring sequence: session ${id} not found`);
    const lastAccessedTime = JSON.parse(hash['lastAccessedTime']) as number;
    const again = await r.hgetall(this.#hash(id));
    const interval = JSON.parse(again['maxInactiveInterval'] ?? '0') as number;
    await r.srem(this.#bucket(roundUpToNextMinute(lastAccessedTime + interval * 1000)), `expires:${id}`);
    await r.del(this.#shadow(id));
    await r.hmset(this.#hash(id), 'maxInactiveInterval', '0');
    await r.del(this.#shadow(id));
    await r.pexpire(this.#hash(id), 300_000);
    const bucket = this.#bucket(roundUpToNextMinute(lastAccessedTime));
    await r.pexpire(bucket, 300_000);
    await r.sadd(bucket, `expires:${id}`);
  }

  /** §2.3 whole: HGETALL, then the delta save. */
  async request(id: string, counter: number): Promise<void> {
    await this.deltaSave(await this.load(id), counter);
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
