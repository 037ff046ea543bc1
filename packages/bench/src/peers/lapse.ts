import type { RedisIndexedSessionRepository, RedisIndexedSessionRepositoryOptions, Session } from '@lapse/repository';
import { Redis } from 'ioredis';
import { openClient, type BenchClient, type ClientKind } from '../clients.js';
import { fillSessions } from '../fill.js';
import type { IndexKind } from '../lapse-modes.js';
import { lapseRepositoryOn, newLapseRepository } from '../lapse-repository.js';
import { attributesFor, TIMEOUT_SECONDS } from '../session-data.js';
import { lapsePeer, PeerCheckError, type OpsPeer } from './OpsPeer.js';

/**
 * lapse's repository on one client with default options (what the README shows), no cleanup
 * schedule (no peer sweeps during the operations benchmark). Fills save through a second
 * repository, same options, on an ioredis connection of its own (auto-pipelined).
 */
export class LapsePeer implements OpsPeer<Session> {
  readonly name: ReturnType<typeof lapsePeer> | 'lapse-autopipelining';
  readonly #client: BenchClient;
  readonly #fillRedis: Redis;
  readonly repository: RedisIndexedSessionRepository;
  readonly #options: RedisIndexedSessionRepositoryOptions;

  private constructor(name: LapsePeer['name'], client: BenchClient, url: string, options: RedisIndexedSessionRepositoryOptions) {
    this.name = name;
    this.#client = client;
    this.#options = options;
    this.repository = newLapseRepository(client, options);
    this.#fillRedis = new Redis(url, { enableAutoPipelining: true });
  }

  /**
   * `kind`: the client lapse runs on; `autoPipelining`: ioredis with `enableAutoPipelining`
   * (an extra, informative variant). Rejects when the repository refuses the client (the
   * peer's cells then read n/a with the reason).
   */
  static async open(url: string, namespace: string, options: { client?: ClientKind; kind?: IndexKind; autoPipelining?: boolean } = {}): Promise<LapsePeer> {
    const kind = options.client ?? 'ioredis';
    const autoPipelining = options.autoPipelining === true;
    const client = await openClient(kind, url, { autoPipelining });
    const repositoryOptions = { namespace, expirationIndex: options.kind ?? 'minute-buckets', cleanupCron: null, defaultMaxInactiveInterval: TIMEOUT_SECONDS };
    try {
      return new LapsePeer(autoPipelining ? 'lapse-autopipelining' : lapsePeer(kind), client, url, repositoryOptions);
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  async fill(n: number, onProgress?: (done: number) => void): Promise<string[]> {
    const filler = lapseRepositoryOn(this.#fillRedis, this.#options);
    try {
      return await fillSessions(filler, { count: n, interval: () => TIMEOUT_SECONDS, attributes: attributesFor }, onProgress);
    } finally {
      await filler.close();
    }
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
    if (!(await this.repository.save(session))) throw new PeerCheckError(`${this.name}: save of ${session.id} refused`);
  }

  async deleteById(id: string): Promise<void> {
    await this.repository.deleteById(id);
  }

  async request(id: string, counter: number): Promise<void> {
    await this.deltaSave(await this.load(id), counter);
  }

  async close(): Promise<void> {
    await this.repository.close();
    await this.#client.close();
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
