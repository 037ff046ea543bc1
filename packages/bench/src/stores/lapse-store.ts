import { LapseStore } from '@lapse/express-session';
import type { SessionData } from 'express-session';
import type { BenchClient } from '../clients.js';
import { newLapseRepository } from '../lapse-repository.js';

export interface LapseStoreSetup {
  readonly namespace: string;
  /** Index the session's `user` as its principal. */
  readonly principal: boolean;
}

/**
 * The one place the bench builds a LapseStore from a client, with default options but the
 * namespace and the principal (as a new user would).
 */
export function newLapseStore(open: BenchClient, setup: LapseStoreSetup): { store: LapseStore; close(): Promise<void> } {
  const repository = newLapseRepository(open, { namespace: setup.namespace });
  const principal = setup.principal ? (data: SessionData) => (data as { user?: string }).user : undefined;
  const store = new LapseStore(principal === undefined ? { repository } : { repository, principal });
  return { store, close: () => repository.close() };
}
