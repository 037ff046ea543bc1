import type { RedisReply } from '../RedisConnection.js';
import { rediscoverSlots, type SlotMapNode } from './rediscoverSlots.js';

/** How often the slot map a node reports is compared with the client's (one `CLUSTER SLOTS` on a live connection). */
export const TOPOLOGY_POLL_MS = 2_000;
/** Least time between two checks asked for by failures. */
const MIN_CHECK_GAP_MS = 250;
/** How long a node has to answer `CLUSTER SLOTS` before the check rediscovers anyway. */
const PROBE_TIMEOUT_MS = 1_000;

/** What the watcher uses of a node-redis `createCluster()` cluster. */
export interface WatchedCluster {
  readonly isOpen: boolean;
  readonly masters: readonly SlotMapNode[];
}

/** Sends `CLUSTER SLOTS` on a node's own client (RESP2-shaped reply). */
export type AskSlots = (node: SlotMapNode) => Promise<RedisReply>;

const watchers = new WeakMap<object, NodeRedisClusterTopology>();

/**
 * Keeps a node-redis Cluster's slot map current, which node-redis itself does only on `MOVED`
 * (see `rediscoverSlots.ts`): every {@link TOPOLOGY_POLL_MS}, and at once when a command failed
 * without a Redis reply ({@link suspect}), it asks a master that is up for `CLUSTER SLOTS` and
 * has the client rediscover when the masters differ from its own (a replica promoted in place of
 * a dead master, a manual failover, resharding), or when no master is up or answers. Then tells
 * the topology listeners if the client's masters changed. One watcher per cluster, shared by
 * every lapse connection on it; its timer is unref'ed and stops once the cluster is closed.
 */
export class NodeRedisClusterTopology {
  readonly #cluster: WatchedCluster;
  readonly #askSlots: AskSlots;
  readonly #listeners = new Set<() => void>();
  #seen: string;
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<void> | null = null;
  #lastCheckEnd = 0;
  #pending: NodeJS.Timeout | null = null;

  private constructor(cluster: WatchedCluster, askSlots: AskSlots) {
    this.#cluster = cluster;
    this.#askSlots = askSlots;
    this.#seen = mastersKey(cluster.masters);
  }

  /** The watcher of `cluster` (created and started on first use). */
  static of(cluster: WatchedCluster, askSlots: AskSlots): NodeRedisClusterTopology {
    let watcher = watchers.get(cluster);
    if (watcher === undefined) {
      watcher = new NodeRedisClusterTopology(cluster, askSlots);
      watchers.set(cluster, watcher);
    }
    watcher.#start();
    return watcher;
  }

  /** Calls `listener` after the client's masters changed; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    const entry = (): void => listener();
    this.#listeners.add(entry);
    this.#start();
    return () => void this.#listeners.delete(entry);
  }

  /** A command failed without a Redis reply (connection lost, node gone): check the topology soon. */
  suspect(): void {
    this.#start();
    if (this.#checking !== null || this.#pending !== null) return;
    const wait = this.#lastCheckEnd + MIN_CHECK_GAP_MS - Date.now();
    if (wait <= 0) {
      void this.check();
      return;
    }
    this.#pending = setTimeout(() => {
      this.#pending = null;
      void this.check();
    }, wait);
    this.#pending.unref();
  }

  /** Checks first when a master's connection is down (its slots may have moved to a replica); else at once. */
  async settle(): Promise<void> {
    if (this.#cluster.masters.some((node) => node.client?.isReady === false)) await this.check();
  }

  /** Compares the slot map with a live node's now, rediscovering if needed; never rejects. One at a time. */
  check(): Promise<void> {
    this.#checking ??= this.#check()
      .catch(() => undefined)
      .finally(() => {
        this.#checking = null;
        this.#lastCheckEnd = Date.now();
        this.#notifyIfChanged();
      });
    return this.#checking;
  }

  async #check(): Promise<void> {
    if (!this.#cluster.isOpen) return;
    const masters = this.#cluster.masters;
    const live = masters.filter((node) => node.client?.isReady === true);
    const probe = live[Math.floor(Math.random() * live.length)];
    if (probe === undefined) {
      await rediscoverSlots(this.#cluster);
      return;
    }
    let reported: string;
    try {
      reported = mastersKey(mastersOfClusterSlots(await withTimeout(this.#askSlots(probe), PROBE_TIMEOUT_MS)));
    } catch {
      await rediscoverSlots(this.#cluster);
      return;
    }
    if (reported !== mastersKey(masters)) await rediscoverSlots(this.#cluster, probe);
  }

  #notifyIfChanged(): void {
    const now = mastersKey(this.#cluster.masters);
    if (now === this.#seen) return;
    this.#seen = now;
    for (const listener of [...this.#listeners]) listener();
  }

  #start(): void {
    if (this.#timer !== null || !this.#cluster.isOpen) return;
    this.#timer = setInterval(() => {
      if (this.#cluster.isOpen) {
        void this.check();
        return;
      }
      // Closed by the application: stop (a later use starts again, should it connect anew).
      if (this.#timer !== null) clearInterval(this.#timer);
      this.#timer = null;
    }, TOPOLOGY_POLL_MS);
    this.#timer.unref();
  }
}

/** The masters' addresses of a `CLUSTER SLOTS` reply: `host:port` of each range's first node, as node-redis names them. */
export function mastersOfClusterSlots(reply: RedisReply): { readonly address: string }[] {
  if (!Array.isArray(reply)) throw new Error('CLUSTER SLOTS did not answer an array');
  const masters: { address: string }[] = [];
  for (const range of reply) {
    const master = Array.isArray(range) ? range[2] : undefined;
    if (!Array.isArray(master)) throw new Error('CLUSTER SLOTS answered a range without a master');
    masters.push({ address: `${String(master[0])}:${String(master[1])}` });
  }
  return masters;
}

function mastersKey(masters: readonly { readonly address: string }[]): string {
  return [...new Set(masters.map((m) => m.address))].sort().join(' ');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
