import { RedisStore } from 'connect-redis';
import type session from 'express-session';
import { CLIENT_LABELS, openClient, rawCommands, type BenchClient, type ClientKind } from '../clients.js';
import { TIMEOUT_SECONDS } from '../session-data.js';
import { FloorStore } from '../peers/floor.js';
import { newLapseStore } from './lapse-store.js';

/** The peers of the express-session request section. */
export type StorePeerName = 'connect-redis' | 'lapse-store:node-redis' | 'lapse-store:ioredis' | 'floor:node-redis' | 'floor:ioredis';

export const STORE_PEERS: readonly StorePeerName[] = ['connect-redis', 'lapse-store:node-redis', 'floor:node-redis', 'lapse-store:ioredis', 'floor:ioredis'];

export const STORE_PEER_LABELS: Readonly<Record<StorePeerName, string>> = {
  'connect-redis': `connect-redis 10 (${CLIENT_LABELS['node-redis']})`,
  'lapse-store:node-redis': `LapseStore (${CLIENT_LABELS['node-redis']})`,
  'lapse-store:ioredis': `LapseStore (${CLIENT_LABELS.ioredis})`,
  'floor:node-redis': `floor (${CLIENT_LABELS['node-redis']})`,
  'floor:ioredis': `floor (${CLIENT_LABELS.ioredis})`,
};

/** The floor a LapseStore peer is judged against (same client). */
export const FLOOR_OF: Readonly<Partial<Record<StorePeerName, StorePeerName>>> = {
  'lapse-store:node-redis': 'floor:node-redis',
  'lapse-store:ioredis': 'floor:ioredis',
};

export interface StorePeer {
  readonly name: StorePeerName;
  readonly store: session.Store;
  close(): Promise<void>;
}

export interface StorePeerSetup {
  /** Namespace (lapse, floor) or key prefix (connect-redis) of the peer's sessions. */
  readonly namespace: string;
  /** LapseStore: index the session's `user` as its principal. */
  readonly principal: boolean;
  /** LapseStore: its `touchAfter` (seconds; unset: the default, 0). */
  readonly touchAfter?: number;
}

function clientOf(name: StorePeerName): ClientKind {
  return name.endsWith(':ioredis') ? 'ioredis' : 'node-redis';
}

/** Opens one peer on its own client; rejects when the store refuses the client (its row then reads n/a with the reason). */
export async function openStorePeer(name: StorePeerName, url: string, setup: StorePeerSetup): Promise<StorePeer> {
  const client: BenchClient = await openClient(clientOf(name), url);
  try {
    if (name === 'connect-redis') {
      const store = new RedisStore({ client: client.client, prefix: `${setup.namespace}:`, ttl: TIMEOUT_SECONDS });
      return { name, store, close: () => client.close() };
    }
    if (name.startsWith('floor:')) {
      return { name, store: new FloorStore(rawCommands(client), setup.namespace), close: () => client.close() };
    }
    const lapse = newLapseStore(client, setup);
    return {
      name,
      store: lapse.store,
      close: async () => {
        await lapse.close();
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}
