import type { Progress } from '../progress.js';
import type { BenchConfig } from '../config.js';
import { ConnectRedisPeer } from '../peers/connect-redis.js';
import { LapsePeer } from '../peers/lapse.js';
import { PEER_LABELS, type OpsPeer, type PeerName, type RemotePeer } from '../peers/OpsPeer.js';
import { RepositoryFloorPeer } from '../peers/floor.js';
import { SpringSequencePeer } from '../peers/spring.js';
import { RealSpringPeer } from '../peers/spring-driver.js';
import { versionsText } from '../peers/spring-protocol.js';
import { freshRedis } from '../redis.js';
import { inParallel } from '../session-data.js';
import { measureCell, type TurnResult } from './cell.js';

export type OpName = 'save-new' | 'delta-save' | 'find' | 'delete' | 'request';

export const OPERATIONS: readonly { readonly name: OpName; readonly label: string }[] = [
  { name: 'save-new', label: 'save new session' },
  { name: 'delta-save', label: 'delta save (1 attribute)' },
  { name: 'find', label: 'findById' },
  { name: 'delete', label: 'deleteById' },
  { name: 'request', label: 'findById + delta save' },
];

/** The peers of the main table. */
export const PEERS: readonly PeerName[] = ['lapse:ioredis', 'lapse:node-redis', 'connect-redis', 'spring', 'spring-sequence'];

/** lapse on the other clients, and connect-redis on node-redis 6 (the clients table). */
export const CLIENT_PEERS: readonly PeerName[] = ['lapse:node-redis-6', 'lapse:node-redis-resp3', 'connect-redis-6'];

/** One peer, operation and concurrency: its median turn, and every turn's rate. */
export interface CellResult extends TurnResult {
  readonly peer: PeerName;
  readonly op: OpName;
  readonly concurrency: number;
  /**
   * Throughput of every turn, in the order the turns ran (one entry for deleteById). Turn k of
   * two peers ran back to back, so their ratio is the least disturbed by the machine's load.
   */
  readonly turnRates: readonly number[];
}

export interface OpsResult {
  readonly cells: CellResult[];
  readonly redisVersion: string;
  /** Peers that could not run on this build, with the reason. */
  readonly unavailable: Partial<Record<PeerName, string>>;
  /** What the real Spring ran on (Spring Boot, Spring Session, Lettuce, Java), when it ran. */
  readonly springVersions: string | null;
}

type Peer = OpsPeer | RemotePeer;

function isRemote(peer: Peer): peer is RemotePeer {
  return 'measure' in peer;
}

/**
 * Throughput and latency of each operation for each peer at each concurrency, all on one
 * fresh Redis (with lapse's `notify-keyspace-events Egx`), peers taking turns cell by cell,
 * the first of a turn rotating from one round to the next.
 */
export async function runOps(config: BenchConfig, progress: Progress): Promise<OpsResult> {
  const { concurrencies, warmupMs, durationMs, poolSize, deleteLimit, rounds, otherRounds } = config.ops;
  const redis = await freshRedis();
  const peers: Peer[] = [];
  const unavailable: Partial<Record<PeerName, string>> = {};
  try {
    await redis.admin.config('SET', 'notify-keyspace-events', 'Egx');
    const redisVersion = (await redis.admin.info('server')).match(/^redis_version:(.*)$/m)?.[1]?.trim() ?? 'unknown';
    const url = redis.handle.url;
    const openers: [PeerName, () => Promise<Peer>][] = [
      ['lapse:ioredis', async () => (await LapsePeer.open(url, 'bench:lapse', { client: 'ioredis' })) as OpsPeer],
      ['lapse:node-redis', async () => (await LapsePeer.open(url, 'bench:lapse-nr', { client: 'node-redis' })) as OpsPeer],
      ['connect-redis', async () => (await ConnectRedisPeer.connect(url, 'bench:cr:')) as OpsPeer],
      ['spring', async () => RealSpringPeer.start(url, 'bench:spring', (text) => progress.stage(text))],
      ['spring-sequence', async () => new SpringSequencePeer(url, 'bench:spring-seq') as OpsPeer],
      ['lapse:node-redis-6', async () => (await LapsePeer.open(url, 'bench:lapse-nr6', { client: 'node-redis-6' })) as OpsPeer],
      ['lapse:node-redis-resp3', async () => (await LapsePeer.open(url, 'bench:lapse-nr3', { client: 'node-redis-resp3' })) as OpsPeer],
      ['connect-redis-6', async () => (await ConnectRedisPeer.connect(url, 'bench:cr6:', 6)) as OpsPeer],
      ['lapse-autopipelining', async () => (await LapsePeer.open(url, 'bench:lapse-ap', { autoPipelining: true })) as OpsPeer],
      [
        'floor',
        async () => {
          // Its sessions are written in lapse's layout by the node-redis lapse peer, in that peer's namespace.
          const lapse = peers.find((peer) => peer.name === 'lapse:node-redis');
          if (lapse === undefined || isRemote(lapse)) throw new Error(`needs ${PEER_LABELS['lapse:node-redis']}, which did not open`);
          return (await RepositoryFloorPeer.open(url, 'bench:lapse-nr', (n, onProgress) => lapse.fill(n, onProgress))) as OpsPeer;
        },
      ],
    ];
    for (const [name, open] of openers) {
      try {
        peers.push(await open());
      } catch (error) {
        unavailable[name] = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      }
    }
    const highest = Math.max(...concurrencies);

    progress.stage('operations: preparing sessions');
    const pools = new Map<PeerName, string[]>();
    const loaded = new Map<PeerName, unknown[]>();
    for (const peer of peers) {
      progress.update(`${PEER_LABELS[peer.name]}: ${poolSize.toLocaleString('en-US')} sessions`);
      if (isRemote(peer)) {
        await peer.prepare(poolSize);
        continue;
      }
      const ids = await peer.fill(poolSize);
      pools.set(peer.name, ids);
      const sessions = new Array<unknown>(ids.length);
      await inParallel(ids.length, 64, async (i) => {
        sessions[i] = await peer.load(ids[i] as string);
      });
      loaded.set(peer.name, sessions);
    }

    const cells: CellResult[] = [];
    let counter = 0;
    let step = 0;
    // Auto-pipelining runs at the highest concurrency only; the floor only in findById + delta save.
    const activeAt = (concurrency: number, op: OpName): Peer[] =>
      peers.filter((peer) => (peer.name !== 'lapse-autopipelining' || concurrency === highest) && (peer.name !== 'floor' || op === 'request'));
    const roundsOf = (op: OpName): number => (op === 'delete' ? 1 : op === 'request' ? rounds : otherRounds);
    const total = OPERATIONS.reduce((sum, { name }) => sum + concurrencies.reduce((n, c) => n + activeAt(c, name).length, 0) * roundsOf(name), 0);
    const announce = (label: string, peer: Peer, concurrency: number, round: number | null, of: number): void => {
      step += 1;
      const turn = round === null || of === 1 ? '' : `, turn ${round}/${of}`;
      progress.stage(`operations ${step}/${total}: ${label}, ${PEER_LABELS[peer.name]}, concurrency ${concurrency}${turn}`);
    };

    /** The operation loop of one cell: `false` when it has nothing left to do. */
    const operation = (op: Exclude<OpName, 'delete'>, peer: OpsPeer, concurrency: number): ((worker: number) => Promise<boolean>) => {
      const ids = pools.get(peer.name) as string[];
      const sessions = loaded.get(peer.name) as unknown[];
      switch (op) {
        case 'save-new':
          return async () => {
            await peer.saveNew(counter++);
            return true;
          };
        case 'find':
          return async () => {
            await peer.findById(ids[Math.floor(Math.random() * ids.length)] as string);
            return true;
          };
        case 'request':
          return async () => {
            await peer.request(ids[Math.floor(Math.random() * ids.length)] as string, counter++);
            return true;
          };
        case 'delta-save': {
          // Each loop saves only its own sessions, so no session is saved twice at once.
          const next = new Array<number>(concurrency).fill(0).map((_, w) => w);
          return async (worker) => {
            const index = next[worker] as number;
            next[worker] = (index + concurrency) % (sessions.length - (sessions.length % concurrency));
            await peer.deltaSave(sessions[index], counter++);
            return true;
          };
        }
      }
    };

    for (const { name: op, label } of OPERATIONS) {
      for (const concurrency of concurrencies) {
        const active = activeAt(concurrency, op);
        if (op === 'delete') {
          for (const peer of active) {
            announce(label, peer, concurrency, null, 1);
            // As many sessions as the peer's findById rate would get through in the measured
            // time, and a tenth more for the warm-up. A peer that deletes faster than it reads
            // (connect-redis: DEL against GET + JSON.parse) runs out: its cell ends early and is
            // marked, its rate being over the time it ran.
            const findRate = cells.find((c) => c.peer === peer.name && c.op === 'find' && c.concurrency === concurrency)?.perSecond ?? 20_000;
            const measuredPart = Math.ceil((findRate * durationMs * 1.25) / 1000);
            const warmupPart = Math.ceil(measuredPart / 10);
            const size = Math.min(deleteLimit, Math.max(500, measuredPart + warmupPart));
            progress.update(`preparing ${size.toLocaleString('en-US')} sessions to delete`);
            if (isRemote(peer)) {
              const result = await peer.measure({ op, concurrency, warmupMs, durationMs, sessions: size, warmupSessions: warmupPart });
              cells.push({ peer: peer.name, op, concurrency, ...result, turnRates: [result.perSecond] });
              continue;
            }
            const victims = await peer.fill(size);
            let taken = 0;
            let limit = Math.min(warmupPart, size);
            const run = async (): Promise<boolean> => {
              if (taken >= limit) return false;
              await peer.deleteById(victims[taken++] as string);
              return true;
            };
            const result = await measureCell(redis.admin, concurrency, warmupMs, durationMs, run, () => {
              limit = size;
            });
            cells.push({ peer: peer.name, op, concurrency, ...result, turnRates: [result.perSecond] });
          }
          continue;
        }
        // The peers take turns `rounds` times, the first of a round rotating; a cell is the turn
        // with the median throughput, so that a moment of contention does not decide a ratio.
        const runs = new Map(
          active.map((peer): [Peer, () => Promise<TurnResult>] => {
            if (isRemote(peer)) return [peer, () => peer.measure({ op, concurrency, warmupMs, durationMs })];
            const run = operation(op, peer, concurrency);
            return [peer, () => measureCell(redis.admin, concurrency, warmupMs, durationMs, run)];
          }),
        );
        const turns = new Map<Peer, TurnResult[]>(active.map((peer) => [peer, []]));
        const of = roundsOf(op);
        for (let round = 1; round <= of; round++) {
          for (const peer of rotate(active, round - 1)) {
            announce(label, peer, concurrency, round, of);
            turns.get(peer)?.push(await (runs.get(peer) as () => Promise<TurnResult>)());
          }
        }
        for (const peer of active) {
          const sorted = (turns.get(peer) ?? []).slice().sort((a, b) => a.perSecond - b.perSecond);
          const median = sorted[Math.floor(sorted.length / 2)];
          const turnRates = (turns.get(peer) ?? []).map((turn) => turn.perSecond);
          if (median !== undefined) cells.push({ peer: peer.name, op, concurrency, ...median, turnRates });
        }
      }
    }
    const spring = peers.find((peer): peer is RealSpringPeer => peer instanceof RealSpringPeer);
    return { cells, redisVersion, unavailable, springVersions: spring?.versions === null || spring === undefined ? null : versionsText(spring.versions) };
  } finally {
    await Promise.allSettled(peers.map((peer) => peer.close()));
    await redis.stop();
  }
}

/** `items` starting at index `by` (mod length): who goes first changes from round to round. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
