import { defaultSessionIdGenerator } from '@lapse/repository';
import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { createClient } from 'redis';
import { attributesFor, expressCookie, inParallel, TIMEOUT_SECONDS } from '../session-data.js';
import { PeerCheckError, type OpsPeer } from './OpsPeer.js';

type StoredSession = Record<string, unknown>;
interface Loaded {
  readonly id: string;
  readonly data: StoredSession;
}

/**
 * connect-redis 9 on node-redis 5 (one client, default options): `set` (SET … EX), `get`
 * (GET), `destroy` (DEL), with what express-session stores: the cookie and the attributes.
 */
export class ConnectRedisPeer implements OpsPeer<Loaded> {
  readonly name = 'connect-redis' as const;
  readonly #client: ReturnType<typeof createClient>;
  readonly #store: RedisStore;

  private constructor(client: ReturnType<typeof createClient>, prefix: string) {
    this.#client = client;
    this.#store = new RedisStore({ client, prefix, ttl: TIMEOUT_SECONDS });
  }

  static async connect(url: string, prefix: string): Promise<ConnectRedisPeer> {
    const client = createClient({ url });
    client.on('error', () => undefined);
    await client.connect();
    return new ConnectRedisPeer(client, prefix);
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
    this.#client.destroy();
  }
}
