import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireRedisExecutable } from './find-executable.js';
import { LOOPBACK_HOST, RedisServerProcess } from './redis-server-process.js';
import { parseInfo, sendRedisCommand } from './resp-command.js';
import { NotYet, waitUntil } from './wait-until.js';

const execFileAsync = promisify(execFile);

/** Options of {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** Number of masters (default 3; Redis Cluster needs at least 3). */
  masters?: number;
  /** Replicas per master (default 1). */
  replicasPerMaster?: number;
  /** Extra redis-server args for every node, appended after the cluster defaults. */
  args?: string[];
  /** How long to wait for the cluster to form, in milliseconds (default 30000). */
  timeoutMs?: number;
}

/** A local Redis Cluster of `redis-server` processes started by {@link startRedisCluster}. */
export interface RedisClusterHandle {
  /** Startup nodes for ioredis Cluster: [{host, port}] of the masters. */
  readonly nodes: { host: string; port: number }[];
  /** Number of masters. */
  readonly masters: number;
  /** Number of replicas of each master. */
  readonly replicasPerMaster: number;
  /** Kills every node (SIGKILL; the cluster holds only test data) and removes their directories. Idempotent. */
  stop(): Promise<void>;
  /**
   * Port of each node process, and a way to kill/restart one (for failover tests later). All nodes, masters
   * first (in the order of `nodes`), with the PID of each node's current or last process (it changes after
   * `restartNode`).
   */
  readonly processes: { port: number; pid: number }[];
  /** SIGKILLs the node on `port` (keeping its directory and `nodes.conf`) and resolves once it has exited. */
  killNode(port: number): Promise<void>;
  /**
   * Starts the node on `port` again (SIGTERM first if it is running) with the same port, arguments and
   * directory, so it rejoins the cluster from its `nodes.conf`; resolves once it answers PING (not once the
   * cluster has absorbed it: wait for that in the test if needed).
   */
  restartNode(port: number): Promise<void>;
}

/** Arguments every cluster node gets before the caller's `args`. */
export const CLUSTER_NODE_ARGS: readonly string[] = [
  '--cluster-enabled', 'yes',
  '--cluster-config-file', 'nodes.conf',
  '--cluster-node-timeout', '2000',
  // Replicas sync immediately instead of after the default 5 s delay, so the cluster is ready sooner.
  '--repl-diskless-sync-delay', '0',
];

const TOTAL_SLOTS = '16384';

/** Ports of the masters according to `CLUSTER NODES` on `port`. */
async function masterPorts(port: number): Promise<number[]> {
  const text = String(await sendRedisCommand(LOOPBACK_HOST, port, ['CLUSTER', 'NODES']));
  const ports: number[] = [];
  for (const line of text.split('\n')) {
    const [, address, flags] = line.split(' ');
    if (!address || !flags?.split(',').includes('master') || flags.includes('fail')) continue;
    const p = Number(address.split('@')[0]?.split(':').pop());
    if (Number.isInteger(p)) ports.push(p);
  }
  return ports;
}

/** Resolves once every node reports a healthy cluster; throws {@link NotYet} with the first problem otherwise. */
async function checkClusterReady(servers: readonly RedisServerProcess[], masters: number): Promise<number[]> {
  for (const s of servers) {
    let info: Map<string, string>;
    let replication: Map<string, string>;
    try {
      info = parseInfo(String(await sendRedisCommand(s.host, s.port, ['CLUSTER', 'INFO'])));
      replication = parseInfo(String(await sendRedisCommand(s.host, s.port, ['INFO', 'replication'])));
    } catch (err) {
      throw new NotYet(`node ${s.port}: ${(err as Error).message}`);
    }
    const state = `node ${s.port}: cluster_state:${info.get('cluster_state')} ` +
      `slots_assigned:${info.get('cluster_slots_assigned')} known_nodes:${info.get('cluster_known_nodes')}`;
    if (info.get('cluster_state') !== 'ok') throw new NotYet(state);
    if (info.get('cluster_slots_assigned') !== TOTAL_SLOTS) throw new NotYet(state);
    if (info.get('cluster_known_nodes') !== String(servers.length)) throw new NotYet(state);
    if (replication.get('role') === 'slave' && replication.get('master_link_status') !== 'up') {
      throw new NotYet(`replica ${s.port}: master_link_status:${replication.get('master_link_status')}`);
    }
  }
  // Every node's own view too: gossip may not yet have told one node that another is a
  // replica (seen under load: a replica listed as a master without slots), and tests that ask
  // any node about the topology (lapse doctor) would read that stale view.
  let first: number[] | null = null;
  for (const s of servers) {
    const ports = await masterPorts(s.port);
    if (ports.length !== masters) throw new NotYet(`CLUSTER NODES on ${s.port} lists ${ports.length} masters, expected ${masters}`);
    first ??= ports;
  }
  return first ?? [];
}

/**
 * Starts a local Redis Cluster without containers: `masters * (1 + replicasPerMaster)` `redis-server` processes
 * (each in its own temporary directory, on a free loopback port whose bus port `port + 10000` is free too, with
 * {@link CLUSTER_NODE_ARGS}, `--save "" --appendonly no` and `args`), joined by
 * `redis-cli --cluster create ... --cluster-replicas N --cluster-yes`. Resolves once every node reports
 * `cluster_state:ok`, all 16384 slots assigned, every node known, and every replica's link to its master up.
 * Defaults: 3 masters, 1 replica each. On failure, all nodes are stopped and the error includes the details.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 1;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(masters) || masters < 3) {
    throw new Error(`startRedisCluster: masters must be an integer >= 3 (Redis Cluster needs 3), got ${masters}`);
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new Error(`startRedisCluster: replicasPerMaster must be an integer >= 0, got ${replicasPerMaster}`);
  }
  const cli = requireRedisExecutable('redis-cli');
  const total = masters * (1 + replicasPerMaster);
  const nodeArgs = [...CLUSTER_NODE_ARGS, ...(options.args ?? [])];

  const started = await Promise.allSettled(
    Array.from({ length: total }, () =>
      RedisServerProcess.start({ args: nodeArgs, clusterBusPort: true, dirPrefix: 'lapse-rcluster-' }),
    ),
  );
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = (): Promise<void> => Promise.all(servers.map((s) => s.stop('SIGKILL'))).then(() => undefined);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }

  let masterList: number[];
  try {
    const addresses = servers.map((s) => `${s.host}:${s.port}`);
    try {
      await execFileAsync(
        cli,
        ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'],
        { timeout: timeoutMs },
      );
    } catch (err) {
      const e = err as Error & { stdout?: string; stderr?: string };
      throw new Error(
        `redis-cli --cluster create ${addresses.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`,
      );
    }
    masterList = await waitUntil(() => checkClusterReady(servers, masters), {
      timeoutMs,
      intervalMs: 100,
      what: `the ${masters}+${masters * replicasPerMaster} node cluster to become ready`,
      details: () => servers.map((s) => `--- log of node ${s.port} ---\n${s.readLogTail(1500)}`).join('\n'),
    });
  } catch (err) {
    await stopAll();
    throw err;
  }

  const byPort = (port: number): RedisServerProcess => {
    const server = servers.find((s) => s.port === port);
    if (!server) {
      throw new Error(`No cluster node on port ${port}; nodes: ${servers.map((s) => s.port).join(', ')}`);
    }
    return server;
  };
  // Masters in the order of `nodes`, then replicas in creation order.
  const rank = (s: RedisServerProcess): number => {
    const i = masterList.indexOf(s.port);
    return i < 0 ? masterList.length : i;
  };
  const ordered = [...servers].sort((a, b) => rank(a) - rank(b));
  let stopping: Promise<void> | undefined;
  return {
    nodes: masterList.map((port) => ({ host: LOOPBACK_HOST, port })),
    masters,
    replicasPerMaster,
    get processes() {
      return ordered.map((s) => ({ port: s.port, pid: s.pid ?? 0 }));
    },
    stop: () => (stopping ??= stopAll()),
    killNode: (port) => byPort(port).kill('SIGKILL'),
    restartNode: (port) => byPort(port).restart(),
  };
}
