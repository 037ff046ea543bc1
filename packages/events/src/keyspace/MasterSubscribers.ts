import type { Cluster, Redis } from 'ioredis';

/** How often the set of masters is checked, besides the cluster's own node events. */
const TOPOLOGY_CHECK_MS = 2000;

/**
 * Keyspace notifications are published only by the node that holds the key (research
 * `redis-reliability.md` §3.1): on a Redis Cluster this keeps one subscriber connection per
 * master, follows topology changes (`+node`/`-node`, failover, resharding) and hands every
 * message to one handler. Replicas are not needed (they publish `del`, not `expired`).
 */
export class MasterSubscribers {
  readonly #cluster: Cluster;
  readonly #channels: readonly string[];
  readonly #onMessage: (channel: string, message: string) => void;
  readonly #onReady: () => void;
  readonly #subscribers = new Map<string, Redis>();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #started = false;
  readonly #onTopology = (): void => void this.refresh();

  /** `onReady` is called when a master needs its keyspace setting applied: one that appeared after start, or any after a reconnect. */
  constructor(cluster: Cluster, channels: readonly string[], onMessage: (channel: string, message: string) => void, onReady: () => void) {
    this.#cluster = cluster;
    this.#channels = channels;
    this.#onMessage = onMessage;
    this.#onReady = onReady;
  }

  /** Subscribes on every current master and starts following the topology. */
  async start(): Promise<void> {
    this.#cluster.on('+node', this.#onTopology);
    this.#cluster.on('-node', this.#onTopology);
    this.#cluster.on('refresh', this.#onTopology);
    this.#timer = setInterval(this.#onTopology, TOPOLOGY_CHECK_MS);
    await this.refresh();
    this.#started = true;
  }

  /** Brings the subscriber set in line with the cluster's masters now. */
  async refresh(): Promise<void> {
    if (this.#closed) return;
    const masters = new Map(this.#cluster.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]));
    for (const [address, subscriber] of this.#subscribers) {
      if (!masters.has(address)) {
        this.#subscribers.delete(address);
        subscriber.disconnect();
      }
    }
    const added: Promise<unknown>[] = [];
    for (const [address, node] of masters) {
      if (this.#subscribers.has(address)) continue;
      // ioredis's own resubscribe can leave a rejected promise unhandled; subscribe again on each reconnect here.
      const subscriber = node.duplicate({ autoResubscribe: false });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
      // A master present at start() was configured by the listener already; a master that
      // appears later (a promoted replica) is configured at its first connection, and any
      // master again after a reconnect. refresh() below subscribes the first time.
      let configured = !this.#started;
      let connected = false;
      subscriber.on('ready', () => {
        if (connected) subscriber.subscribe(...this.#channels).catch(() => undefined);
        connected = true;
        if (configured) {
          configured = false;
          return;
        }
        this.#onReady();
      });
      this.#subscribers.set(address, subscriber);
      added.push(subscriber.subscribe(...this.#channels).catch(() => undefined));
    }
    await Promise.all(added);
  }

  /** How many masters are subscribed to. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Disconnects every subscriber. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#cluster.off('+node', this.#onTopology);
    this.#cluster.off('-node', this.#onTopology);
    this.#cluster.off('refresh', this.#onTopology);
    for (const subscriber of this.#subscribers.values()) subscriber.disconnect();
    this.#subscribers.clear();
  }
}
