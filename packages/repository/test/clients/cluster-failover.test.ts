import { startRedisCluster, sendRedisCommand, type RedisClusterHandle } from '@lapse/redis-harness';
import { createCluster as createCluster5 } from 'redis';
import { createCluster as createCluster6 } from 'redis6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRedisConnection, type RedisConnection } from '../../src/internal.js';
import { canRediscoverSlots, rediscoverSlots, type RediscoverableCluster, type SlotMapNode } from '../../src/redis/clients/node-redis/rediscoverSlots.js';
import { waitFor } from './clientVariants.js';

// node-redis re-reads a Cluster's slot map only on MOVED (5.x; 6.x also 5 s into a reconnection):
// the adapter keeps it current itself. One 3+3 cluster; each variant fails over masters of its own.
let cluster: RedisClusterHandle | undefined;
const opened: { destroy(): void }[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
}, 60_000);
afterAll(async () => {
  for (const client of opened) client.destroy();
  await cluster?.stop();
});

const HOST = '127.0.0.1';
const VARIANTS = [
  { name: 'node-redis 5', createCluster: createCluster5 },
  { name: 'node-redis 6', createCluster: createCluster6 },
] as const;

/** A connected node-redis cluster client of `variant` (reconnecting quickly, as the integration suites' do). */
async function openCluster(variant: (typeof VARIANTS)[number]): Promise<ReturnType<typeof createCluster5>> {
  const handle = cluster as RedisClusterHandle;
  const rootNodes = handle.processes.map(({ port }) => ({ socket: { host: HOST, port } }));
  const defaults = { socket: { reconnectStrategy: (retries: number) => Math.min(50 * retries, 500) } };
  const client = (variant.createCluster as unknown as typeof createCluster5)({ rootNodes, defaults });
  client.on('error', () => undefined);
  await client.connect();
  opened.push(client);
  return client;
}

/** Masters of the cluster with a connected replica, as a live node's `CLUSTER NODES` says: `[master port, replica port]`. */
async function masterWithReplica(): Promise<[number, number]> {
  const handle = cluster as RedisClusterHandle;
  const live = handle.processes.map((p) => p.port);
  for (const port of live) {
    let text: string;
    try {
      text = String(await sendRedisCommand(HOST, port, ['CLUSTER', 'NODES']));
    } catch {
      continue; // a node killed by an earlier test
    }
    const lines = text.trim().split('\n').map((line) => line.split(' '));
    const byId = new Map(lines.map((f) => [f[0], f]));
    for (const f of lines) {
      const flags = f[2] ?? '';
      if (!flags.includes('slave') || flags.includes('fail') || f[7] !== 'connected') continue;
      const master = byId.get(f[3]);
      if (master === undefined || (master[2] ?? '').includes('fail')) continue;
      return [portOf(master[1]), portOf(f[1])];
    }
  }
  throw new Error('no master with a live replica left');
}

function portOf(address: string | undefined): number {
  return Number(/:(\d+)/.exec(address ?? '')?.[1]);
}

/** A key whose slot `port` serves now. */
async function keyServedBy(port: number, prefix: string): Promise<string> {
  for (let i = 0; i < 10_000; i++) {
    const key = `${prefix}:${i}`;
    try {
      await sendRedisCommand(HOST, port, ['EXISTS', key]);
      return key;
    } catch {
      // MOVED: another master's key
    }
  }
  throw new Error(`no key found on :${port}`);
}

async function addresses(connection: RedisConnection): Promise<string[]> {
  return (await connection.masters()).map((m) => m.address).sort();
}

/** Waits until the connection's masters include `promoted` and not `old`, asking nothing else of it. */
async function waitForMasters(connection: RedisConnection, promoted: number, old: number, ms: number): Promise<void> {
  const seen: string[][] = [];
  const started = Date.now();
  while (Date.now() - started < ms) {
    const now = await addresses(connection);
    seen.push(now);
    if (now.includes(`${HOST}:${promoted}`) && !now.includes(`${HOST}:${old}`)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for :${promoted} in place of :${old}; last ${JSON.stringify(seen.at(-1))}`);
}

/**
 * A failover's starting point: a connection on a new cluster client of `variant`, recording when
 * it reports a topology change (`stop` ends that), and a master with a live replica, with a key
 * (`<variant>:<label>:…`) that master serves.
 */
async function failoverScene(variant: (typeof VARIANTS)[number], label: string) {
  const connection = toRedisConnection(await openCluster(variant));
  const changes: number[] = [];
  const stop = connection.onTopologyChange(() => changes.push(Date.now()));
  const [master, replica] = await masterWithReplica();
  const key = await keyServedBy(master, `${variant.name}:${label}`);
  return { connection, changes, stop, master, replica, key };
}

describe.each(VARIANTS)('$name Cluster, through the adapter', (variant) => {
  it('can reach the rediscovery it needs (node-redis internals: this fails when they change)', async () => {
    const client = await openCluster(variant);
    expect(canRediscoverSlots(client as unknown as RediscoverableCluster)).toBe(true);
    const master = client.masters[0];
    const socketBefore = { ...master?.client?.options?.socket };
    expect(await rediscoverSlots(client as unknown as RediscoverableCluster, master as unknown as SlotMapNode | undefined)).toBe(true);
    // The node client's own options are left alone (node-redis writes into those it is given).
    expect({ ...client.masters.find((m) => m.address === master?.address)?.client?.options?.socket }).toEqual(socketBefore);
  });

  it('follows a manual failover with no command sent: masters(), onTopologyChange, routing by key', async () => {
    const { connection, changes, stop, master, replica, key } = await failoverScene(variant, 'manual');
    expect(await addresses(connection)).toContain(`${HOST}:${master}`);

    expect(await sendRedisCommand(HOST, replica, ['CLUSTER', 'FAILOVER'])).toBe('OK');
    await waitForMasters(connection, replica, master, 20_000);
    await waitFor(changes, (c) => c.length >= 1, 'a topology change', 5_000);
    expect(await connection.send('SET', [key, 'after'], key)).toBe('OK');
    expect(await sendRedisCommand(HOST, replica, ['GET', key])).toBe('after');
    stop();
  }, 40_000);

  it('follows a killed master: the promoted replica is listed, its slots are served, the dead node refuses', async () => {
    const { connection, changes, stop, master: victim, replica, key } = await failoverScene(variant, 'killed');
    expect(await connection.send('SET', [key, 'before'], key)).toBe('OK');
    const old = (await connection.masters()).find((m) => m.address === `${HOST}:${victim}`);
    expect(old).toBeDefined();

    await (cluster as RedisClusterHandle).killNode(victim);
    await waitForMasters(connection, replica, victim, 30_000);
    await waitFor(changes, (c) => c.length >= 1, 'a topology change', 5_000);
    // The dead master's slots go to the promoted replica (which has the key from replication).
    expect(await connection.send('GET', [key], key)).toBe('before');
    expect(await connection.send('SET', [key, 'after'], key)).toBe('OK');
    expect(await sendRedisCommand(HOST, replica, ['GET', key])).toBe('after');
    const promoted = (await connection.masters()).find((m) => m.address === `${HOST}:${replica}`);
    expect(await promoted?.send('GET', [key])).toBe('after');
    // A node handed out before the failover refuses at once instead of waiting for the dead node.
    await expect(old?.send('PING', [])).rejects.toThrow(/no longer a master/);
    stop();
  }, 60_000);
});
