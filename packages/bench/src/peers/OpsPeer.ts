import { CLIENT_LABELS, type ClientKind } from '../clients.js';
import type { TurnResult } from '../measure/cell.js';
import type { OpName } from '../measure/ops.js';

/** lapse's repository on one client. */
export type LapsePeerName = `lapse:${ClientKind}`;

/** The peers of the operations benchmark. */
export type PeerName = LapsePeerName | 'lapse-autopipelining' | 'connect-redis' | 'connect-redis-6' | 'spring' | 'spring-sequence' | 'floor';

export function lapsePeer(kind: ClientKind): LapsePeerName {
  return `lapse:${kind}`;
}

export const PEER_LABELS: Readonly<Record<PeerName, string>> = {
  'lapse:ioredis': `lapse (${CLIENT_LABELS.ioredis})`,
  'lapse:node-redis': `lapse (${CLIENT_LABELS['node-redis']})`,
  'lapse:node-redis-resp3': `lapse (${CLIENT_LABELS['node-redis-resp3']})`,
  'lapse:node-redis-6': `lapse (${CLIENT_LABELS['node-redis-6']})`,
  'lapse-autopipelining': `lapse (${CLIENT_LABELS.ioredis} enableAutoPipelining)`,
  'connect-redis': `connect-redis (${CLIENT_LABELS['node-redis']})`,
  'connect-redis-6': `connect-redis (${CLIENT_LABELS['node-redis-6']})`,
  spring: 'Spring Session (Lettuce)',
  'spring-sequence': 'Spring sequence (replayed on ioredis)',
  floor: `floor (${CLIENT_LABELS['node-redis']})`,
};

/**
 * One peer's session operations, each as its library (or Spring's command sequence) does it.
 * Every operation rejects when something is not as expected (a session not found, a save
 * refused), so a broken peer cannot look fast.
 */
export interface OpsPeer<Loaded = unknown> {
  readonly name: PeerName;
  /** Creates `n` sessions as fast as possible (setup, not measured); resolves their ids. */
  fill(n: number, onProgress?: (done: number) => void): Promise<string[]>;
  /** A new session with the three attributes, saved. */
  saveNew(i: number): Promise<void>;
  /** Reads a session. */
  findById(id: string): Promise<void>;
  /** Reads a session for {@link deltaSave} (setup). */
  load(id: string): Promise<Loaded>;
  /** Saves a loaded session after touching it and changing one attribute. */
  deltaSave(session: Loaded, counter: number): Promise<void>;
  /** Deletes a session. */
  deleteById(id: string): Promise<void>;
  /** One request: read the session, touch it, change one attribute, save it. */
  request(id: string, counter: number): Promise<void>;
  close(): Promise<void>;
}

export class PeerCheckError extends Error {
  override readonly name = 'PeerCheckError';
}

/** One turn of one cell, as a peer in another process measures it (see {@link RemotePeer}). */
export interface RemoteCell {
  readonly op: OpName;
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** deleteById: sessions saved for the turn, and how many of them the warm-up may delete. */
  readonly sessions?: number;
  readonly warmupSessions?: number;
}

/**
 * A peer in another process (the real Spring, in a JVM) that holds its own sessions and
 * measures its own turns as `measureCell` does, taking turns with the Node peers.
 */
export interface RemotePeer {
  readonly name: PeerName;
  /** Creates `n` sessions for findById, delta save and the request mix (setup, not measured). */
  prepare(n: number): Promise<void>;
  /** Runs one turn: warm-up, then the measured time. */
  measure(cell: RemoteCell): Promise<TurnResult>;
  close(): Promise<void>;
}
