import { DEFAULT_CLUSTER_SHARDS, SessionKeys } from '@lapse/repository/internal';
import { CliError } from '../cli/CliError.js';
import { connectRedis, type CliRedis } from '../redis/connectRedis.js';
import type { RedisTarget } from '../redis/RedisTarget.js';
import { checkKeyspaceEvents } from './checkKeyspaceEvents.js';
import { finding, type Finding } from './Finding.js';
import { parseInfo } from './redisVersion.js';
import { parseClusterNodes } from './parseClusterNodes.js';

const TOTAL_SLOTS = '16384';

/**
 * Checks a Redis Cluster: its state and slot coverage, its topology (from `CLUSTER NODES`),
 * and `notify-keyspace-events` on every master, each reached with its own plain connection
 * (keyspace events are published by the node that holds the key, so every master needs them).
 * Also states how lapse lays sessions out on a cluster (hash-tagged shards).
 */
export async function checkCluster(redis: CliRedis, target: RedisTarget, keys: SessionKeys): Promise<Finding[]> {
  const findings: Finding[] = [];
  const info = parseInfo(String(await redis.connection.send('CLUSTER', ['INFO'])));
  const state = info.get('cluster_state') ?? '?';
  const assigned = info.get('cluster_slots_assigned') ?? '?';
  const nodes = parseClusterNodes(String(await redis.connection.send('CLUSTER', ['NODES'])), target.host);
  // By first slot, so the report reads the same whichever node was asked.
  const firstSlot = (node: { slots: readonly string[] }): number => Number.parseInt(node.slots[0] ?? '16384', 10);
  const masters = nodes.filter((n) => n.healthyMaster).sort((a, b) => firstSlot(a) - firstSlot(b));
  const replicas = nodes.filter((n) => n.masterId !== null);
  const failing = nodes.filter((n) => n.flags.some((f) => f === 'fail' || f === 'fail?'));
  const topology = masters
    .map((m) => `${m.host}:${m.port} [${m.slots.join(',') || 'no slots'}] +${replicas.filter((r) => r.masterId === m.id).length} replica(s)`)
    .join('; ');
  const summary = `${masters.length} masters, ${replicas.length} replicas, ${assigned}/${TOTAL_SLOTS} slots, state ${state}: ${topology}`;
  if (state === 'ok' && assigned === TOTAL_SLOTS && failing.length === 0) {
    findings.push(finding('ok', 'cluster', summary));
  } else {
    const failed = failing.map((n) => `${n.host}:${n.port}`).join(', ');
    findings.push(
      finding('fail', 'cluster', `${summary}${failed === '' ? '' : `; failing: ${failed}`}`, 'repair the cluster first (redis-cli --cluster check / fix)'),
    );
  }
  if (target.database !== 0) {
    findings.push(finding('fail', 'cluster', `the URL names database ${target.database}, but a cluster only has database 0`, 'drop the database number from the URL'));
  }
  for (const master of masters) {
    const label = `events@${master.host}:${master.port}`;
    let node: CliRedis;
    try {
      node = await connectRedis(target, { library: redis.library, node: { host: master.host, port: master.port } });
    } catch (error) {
      const message = error instanceof CliError ? error.message : String(error);
      findings.push(
        finding('fail', label, `cannot reach this master as announced in CLUSTER NODES (${message})`, 'make the announced addresses reachable from here (cluster-announce-ip), or run lapse doctor where they are'),
      );
      continue;
    }
    try {
      findings.push(...(await checkKeyspaceEvents(node.connection, { host: master.host, port: master.port, label, clusterMaster: true }, null)));
    } finally {
      await node.close();
    }
  }
  findings.push(
    finding(
      'ok',
      'cluster',
      `lapse spreads sessions over hash-tagged shards on the masters (${DEFAULT_CLUSTER_SHARDS} by default, option clusterShards): each shard's keys share a slot, e.g. ${new SessionKeys(keys.namespace, 0, 's0').sessionKey('<id>')}`,
    ),
  );
  return findings;
}
