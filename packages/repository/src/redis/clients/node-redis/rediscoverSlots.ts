/**
 * The one place lapse reaches into node-redis's internals: making a Cluster re-read its slot map.
 *
 * Why: node-redis 5.x re-reads the slot map only after a `MOVED` or `ASK` reply
 * (`RedisCluster._execute`), 6.x also once a node has been reconnecting for 5 s
 * (`topologyRefreshOnReconnectionAttemptStrategy`, the caller's option). When a master dies and
 * its replica is promoted, nothing answers `MOVED`: the client keeps listing the dead master in
 * `masters` and keeps queueing the commands of its slots for it, for good in 5.x.
 *
 * How: neither 5.9.0 nor 6.3.1 has a public "refresh" method. Both have
 * `cluster._slots.rediscover(startWith)` — `_slots` is declared in their `.d.ts`
 * (`readonly _slots: RedisClusterSlots`) and `rediscover` is a public method of that class — and
 * it is the very call node-redis makes itself on `MOVED`. It reads `CLUSTER SLOTS` from
 * `startWith.options` on a connection of its own, else from the known nodes (6.x), else from the
 * root nodes, then rebuilds `masters`, `slots` and the node clients (a node no longer in the map
 * is destroyed, which rejects the commands queued for it).
 *
 * `startWith` is given as a copy of a node client's options, not the client: `#getShards` writes
 * `socket.reconnectStrategy = false` (and `RESP`, `commandOptions`) into the options it is given
 * when the cluster has no `defaults.socket`, which would otherwise be the node client's own options,
 * inherited by every `duplicate()` of it (lapse's subscribers).
 *
 * Fallback: when a future node-redis no longer has this method, {@link rediscoverSlots} returns
 * `false` and changes nothing; the cluster then refreshes only by its own means (`MOVED`, 6.x's
 * reconnection strategy). `test/clients/rediscover-slots.test.ts` fails on such a version.
 */

/** The options of a node-redis client, as far as discovery reads them. */
interface NodeOptions {
  readonly socket?: object;
  readonly [option: string]: unknown;
}

/** A node of a node-redis Cluster's slot map (`cluster.masters[i]`, `cluster.replicas[i]`). */
export interface SlotMapNode {
  readonly address: string;
  readonly host?: string;
  readonly port?: number;
  readonly client?: { readonly isReady?: boolean; readonly options?: NodeOptions };
}

/** `RedisClusterSlots.rediscover` as 5.9.0 (startWith required) and 6.3.1 (optional) declare it. */
type Rediscover = (startWith?: { readonly options: NodeOptions }) => Promise<void>;

/** What {@link rediscoverSlots} reads of a node-redis Cluster. */
export interface RediscoverableCluster {
  readonly masters: readonly SlotMapNode[];
}

/** `cluster._slots.rediscover`, bound, or `null` when this node-redis has no such method. */
function rediscoverOf(cluster: RediscoverableCluster): Rediscover | null {
  const slots = (cluster as { readonly _slots?: { rediscover?: unknown } })._slots;
  if (typeof slots !== 'object' || slots === null || typeof slots.rediscover !== 'function') return null;
  return (slots.rediscover as Rediscover).bind(slots);
}

/** Whether {@link rediscoverSlots} can refresh this cluster (the internal method is there). */
export function canRediscoverSlots(cluster: RediscoverableCluster): boolean {
  return rediscoverOf(cluster) !== null;
}

/**
 * Makes `cluster` re-read its slot map now, starting with `startWith` (a node believed to be up)
 * or else any master. Resolves `true` once the map was re-read (or every node node-redis tried
 * failed: it reports that on the cluster's `error` event), `false` when this node-redis cannot
 * be asked to (see the file comment).
 */
export async function rediscoverSlots(cluster: RediscoverableCluster, startWith?: SlotMapNode): Promise<boolean> {
  const rediscover = rediscoverOf(cluster);
  if (rediscover === null) return false;
  const node = startWith ?? cluster.masters[0];
  await rediscover(node === undefined ? undefined : { options: optionsOf(node) });
  return true;
}

/** A copy of the options to reach `node` with (see the file comment on why a copy). */
function optionsOf(node: SlotMapNode): NodeOptions {
  const options = node.client?.options;
  if (options !== undefined) {
    // The copy's cache would attach to the pooled client-side cache of the caller's cluster.
    return { ...options, socket: { ...options.socket }, clientSideCache: undefined };
  }
  return { socket: { host: node.host, port: node.port } };
}
