/** One line of `CLUSTER NODES`. */
export interface ClusterNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly flags: readonly string[];
  /** The id of its master, for a replica; `null` for a master. */
  readonly masterId: string | null;
  /** Whether it is a master that is not failing. */
  readonly healthyMaster: boolean;
  /** Slot ranges it serves, as written (`0-5460`). */
  readonly slots: readonly string[];
}

/** The nodes listed by `CLUSTER NODES`; `fallbackHost` replaces an empty address (a node that only knows itself). */
export function parseClusterNodes(text: string, fallbackHost: string): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  for (const line of text.split('\n')) {
    const [id, address, flagText, master, , , , , ...slots] = line.trim().split(' ');
    if (id === undefined || address === undefined || flagText === undefined || id === '') continue;
    const endpoint = address.split('@')[0] ?? '';
    const at = endpoint.lastIndexOf(':');
    const host = endpoint.slice(0, at).replace(/^\[(.*)\]$/, '$1') || fallbackHost;
    const port = Number(endpoint.slice(at + 1));
    const flags = flagText.split(',');
    const isMaster = flags.includes('master');
    nodes.push({
      id,
      host,
      port,
      flags,
      masterId: isMaster || master === undefined || master === '-' ? null : master,
      healthyMaster: isMaster && !flags.some((f) => f === 'fail' || f === 'fail?' || f === 'noaddr' || f === 'handshake'),
      slots: slots.filter((s) => !s.startsWith('[')),
    });
  }
  return nodes;
}
