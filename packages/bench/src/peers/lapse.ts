import { RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions, type Session } from '@lapse/repository';
import { Redis } from 'ioredis';
import { checkFillLayout, fillLapseLayout } from '../fill.js';
import type { IndexKind } from '../lapse-modes.js';
import { attributesFor, TIMEOUT_SECONDS } from '../session-data.js';
import { PeerCheckError, type OpsPeer } from './OpsPeer.js';

/**
 * lapse's repository on an ioredis connection with default options (what the README shows),
 * no cleanup schedule (no peer sweeps during the operations benchmark). Fills write the
 * repository's layout with pipelined commands on a second connection (checked once).
 */
export class LapsePeer implements OpsPeer<Session> {
  readonly name: 'lapse' | 'lapse-autopipelining';
  readonly #redis: Redis;
  readonly #fillRedis: Redis;
  readonly repository: RedisIndexedSessionRepository;
  readonly #options: RedisIndexedSessionRepositoryOptions;
  #layoutChecked = false;

  /** `autoPipelining`: the connection has ioredis's `enableAutoPipelining` (an extra, informative variant). */
  constructor(url: string, namespace: string, options: { kind?: IndexKind; autoPipelining?: boolean } = {}) {
    const kind = options.kind ?? 'minute-buckets';
    this.name = options.autoPipelining === true ? 'lapse-autopipelining' : 'lapse';
    this.#redis = new Redis(url, { enableAutoPipelining: options.autoPipelining === true });
    this.#fillRedis = new Redis(url);
    this.#options = { namespace, expirationIndex: kind, cleanupCron: null, defaultMaxInactiveInterval: TIMEOUT_SECONDS };
    this.repository = new RedisIndexedSessionRepository(this.#redis, this.#options);
  }

  async fill(n: number, onProgress?: (done: number) => void): Promise<string[]> {
    if (!this.#layoutChecked) await checkFillLayout(this.#fillRedis, this.#options);
    this.#layoutChecked = true;
    return fillLapseLayout(this.#fillRedis, this.repository, { count: n, interval: () => TIMEOUT_SECONDS, attributes: attributesFor }, onProgress);
  }

  async saveNew(i: number): Promise<void> {
    await saveNewSession(this.repository, i);
  }

  async findById(id: string): Promise<void> {
    await this.load(id);
  }

  async load(id: string): Promise<Session> {
    const session = await this.repository.findById(id);
    if (session === null) throw new PeerCheckError(`${this.name}: session ${id} not found`);
    return session;
  }

  async deltaSave(session: Session, counter: number): Promise<void> {
    session.lastAccessedTime = Date.now();
    session.setAttribute('counter', counter);
    if (!(await this.repository.save(session))) throw new PeerCheckError(`lapse: save of ${session.id} refused`);
  }

  async deleteById(id: string): Promise<void> {
    await this.repository.deleteById(id);
  }

  async request(id: string, counter: number): Promise<void> {
    await this.deltaSave(await this.load(id), counter);
  }

  async close(): Promise<void> {
    await this.repository.close();
    this.#redis.disconnect();
    this.#fillRedis.disconnect();
  }
}

/** Creates and saves a session with the three attributes; resolves its id. */
export async function saveNewSession(
  repository: RedisIndexedSessionRepository,
  i: number,
  maxInactiveInterval?: number,
  attributes: Readonly<Record<string, unknown>> = attributesFor(i),
): Promise<string> {
  const session = await repository.createSession(maxInactiveInterval === undefined ? {} : { maxInactiveInterval });
  for (const [name, value] of Object.entries(attributes)) session.setAttribute(name, value);
  if (!(await repository.save(session))) throw new PeerCheckError(`lapse: save of new session ${session.id} refused`);
  return session.id;
}
