import { defaultSessionIdGenerator } from '@lapse/repository/internal';
import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { openClient, type BenchClient } from '../clients.js';
import { attributesFor, expressCookie, inParallel, TIMEOUT_SECONDS } from '../session-data.js';
import { PeerCheckError, type OpsPeer } from './OpsPeer.js';

type StoredSession = Record<string, unknown>;
interface Loaded {
  readonly id: string;
  readonly data: StoredSession;
}

/**
 * connect-redis 10 on node-redis 5.9 (its fastest client here; `version: 6` for node-redis
 * 6.3), one client, default options: `set` (SET … EX), `get` (GET), `destroy` (DEL), with what
 * express-session stores: the cookie and the attributes.
 */
export class ConnectRedisPeer implements OpsPeer<Loaded> {
  readonly name: 'connect-redis' | 'connect-redis-6';
  readonly #client: BenchClient;
  readonly #store: RedisStore;

  private constructor(client: BenchClient, prefix: string) {
    this.name = client.kind === 'node-redis-6' ? 'connect-redis-6' : 'connect-redis';
    this.#client = client;
    this.#store = new RedisStore({ client: client.client, prefix, ttl: TIMEOUT_SECONDS });
  }

  static async connect(url: string, prefix: string, version: 5 | 6 = 5): Promise<ConnectRedisPeer> {
    return new ConnectRedisPeer(await openClient(version === 6 ? 'node-redis-6' : 'node-redis', url), prefix);
  }

  async fill(n: number, onProgress?: (done: number) => void): Promise<string[]> {
    const ids: string[] = new Array<string>(n);
    await inParallel(n, 1000, async (i) => {
      ids[i] = await this.#saveNew(i);
    }, onProgress);
    return ids;
  }

  async saveNew(i: number): Promise<void> {
    await this.#saveNew(i);
  }

  async #saveNew(i: number): Promise<string> {
    const id = defaultSessionIdGenerator.generate();
    const data: StoredSession = { cookie: expressCookie(Date.now()), ...attributesFor(i) };
    await this.#store.set(id, data as unknown as SessionData);
    return id;
  }

  async findById(id: string): Promise<void> {
    await this.load(id);
  }

  async load(id: string): Promise<Loaded> {
    const data = (await this.#store.get(id)) as StoredSession | null;
    if (data === null || data === undefined) throw new PeerCheckError(`connect-redis: session ${id} not found`);
    return { id, data };
  }

  async deltaSave(session: Loaded, counter: number): Promise<void> {
    session.data['counter'] = counter;
    await this.#store.set(session.id, session.data as unknown as SessionData);
  }

  async deleteById(id: string): Promise<void> {
    await this.#store.destroy(id);
  }

  async request(id: string, counter: number): Promise<void> {
    await this.deltaSave(await this.load(id), counter);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
