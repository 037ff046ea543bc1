import { LapseStore } from '@lapse/express-session';
import type { SessionData } from 'express-session';
import type { BenchClient } from '../clients.js';

export interface LapseStoreSetup {
  readonly namespace: string;
  /** Index the session's `user` as its principal. */
  readonly principal: boolean;
}

/**
 * The one place the bench builds a LapseStore: as connect-redis is built, `new LapseStore({
 * client })` on the row's client, with default options but the key prefix (lapse's namespace)
 * and the principal.
 */
export function newLapseStore(open: BenchClient, setup: LapseStoreSetup): { store: LapseStore; close(): Promise<void> } {
  const prefix = `${setup.namespace}:`;
  const store = setup.principal
    ? new LapseStore({ client: open.client, prefix, principal: (data: SessionData) => (data as { user?: string }).user })
    : new LapseStore({ client: open.client, prefix });
  return { store, close: () => store.close() };
}
