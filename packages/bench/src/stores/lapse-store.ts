import { LapseStore } from '@lapse/express-session';
import type { BenchClient } from '../clients.js';

export interface LapseStoreSetup {
  readonly namespace: string;
  /** Index the session's `user` attribute (a string) as its principal (`principal: 'user'`). */
  readonly principal: boolean;
  /** The store's `touchAfter` (seconds; unset: the default, 0). */
  readonly touchAfter?: number;
}

/**
 * The one place the bench builds a LapseStore: as connect-redis is built, `new LapseStore({
 * client })` on the row's client, with default options but the key prefix (lapse's namespace)
 * and the principal (the attribute form, `principal: 'user'`: the `user` attribute the session
 * already holds is the principal; nothing else is stored in the hash), and `touchAfter` when the
 * setup gives one.
 */
export function newLapseStore(open: BenchClient, setup: LapseStoreSetup): { store: LapseStore; close(): Promise<void> } {
  const prefix = `${setup.namespace}:`;
  const lazy = setup.touchAfter === undefined ? {} : { touchAfter: setup.touchAfter };
  const store = setup.principal
    ? new LapseStore({ client: open.client, prefix, principal: 'user', ...lazy })
    : new LapseStore({ client: open.client, prefix, ...lazy });
  return { store, close: () => store.close() };
}
