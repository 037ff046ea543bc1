import type { RedisConnection, RedisSubscriber } from '../../redis/clients/RedisConnection.js';

/** How often the set of masters is checked, besides the client's own topology events. */
const TOPOLOGY_CHECK_MS = 2000;

/**
 * Keyspace notifications are published only by the node that holds the key
 * (`docs/redis-expiry.md` §2): on a Redis Cluster this keeps one subscriber connection per
 * master (`connection.openSubscriber(node)`), follows `masters()` as the topology changes
 * (failover, resharding, nodes added or removed) and hands every message to one handler.
 * Replicas are not needed (they publish `del`, not `expired`). The seam's subscribers
 * subscribe again by themselves after a reconnect.
 */
export class MasterSubscribers {
  readonly #connection: RedisConnection;
  readonly #channels: readonly string[];
  readonly #onMessage: (channel: string, message: string) => void;
  readonly #onReady: () => void;
  readonly #subscribers = new Map<string, RedisSubscriber>();
  #timer: NodeJS.Timeout | null = null;
  #stopFollowing: (() => void) | null = null;
  #closed = false;
  #started = false;
  /** Refreshes run one after another, so two never open a subscriber for the same master. */
  #refreshing: Promise<void> = Promise.resolve();

  /** `onReady` is called when a master needs its keyspace setting applied: one that appeared after start, or any after a reconnect. */
  constructor(connection: RedisConnection, channels: readonly string[], onMessage: (channel: string, message: string) => void, onReady: () => void) {
    this.#connection = connection;
    this.#channels = channels;
    this.#onMessage = onMessage;
    this.#onReady = onReady;
  }

  /** Subscribes on every current master and starts following the topology. */
  async start(): Promise<void> {
    const follow = (): void => void this.refresh().catch(() => undefined);
    this.#stopFollowing = this.#connection.onTopologyChange(follow);
    this.#timer = setInterval(follow, TOPOLOGY_CHECK_MS);
    this.#timer.unref();
    await this.refresh();
    this.#started = true;
  }

  /** Brings the subscriber set in line with the cluster's masters now. */
  refresh(): Promise<void> {
    const next = this.#refreshing.then(() => this.#refresh());
    this.#refreshing = next.catch(() => undefined);
    return next;
  }

  async #refresh(): Promise<void> {
    if (this.#closed) return;
    const masters = new Map((await this.#connection.masters()).map((node) => [node.address, node]));
    for (const [address, subscriber] of this.#subscribers) {
      if (masters.has(address)) continue;
      this.#subscribers.delete(address);
      void subscriber.close().catch(() => undefined);
    }
    const added: Promise<void>[] = [];
    for (const [address, node] of masters) {
      if (this.#subscribers.has(address) || this.#closed) continue;
      added.push(this.#add(address, node));
    }
    await Promise.all(added);
  }

  async #add(address: string, node: Parameters<RedisConnection['openSubscriber']>[0]): Promise<void> {
    // A master present at start() was configured by the listener already; a master that
    // appears later (a promoted replica) is configured now, and any master again after a reconnect.
    const lateComer = this.#started;
    let subscriber: RedisSubscriber;
    try {
      subscriber = await this.#connection.openSubscriber(node);
    } catch {
      return; // unreachable now: the next refresh tries again
    }
    if (this.#closed || this.#subscribers.has(address)) {
      await subscriber.close().catch(() => undefined);
      return;
    }
    this.#subscribers.set(address, subscriber);
    subscriber.onReconnect(this.#onReady);
    try {
      await subscriber.subscribe(this.#channels, this.#onMessage);
    } catch {
      this.#subscribers.delete(address);
      await subscriber.close().catch(() => undefined);
      return;
    }
    if (lateComer) this.#onReady();
  }

  /** How many masters are subscribed to. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Closes every subscriber. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#stopFollowing?.();
    const subscribers = [...this.#subscribers.values()];
    this.#subscribers.clear();
    await Promise.all(subscribers.map((subscriber) => subscriber.close().catch(() => undefined)));
  }
}
