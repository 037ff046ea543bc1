import { attachSessionSockets, closeSessionSockets, exampleStart, type ExampleStartOptions } from '@lapse/example-shared';
import type { LapseStore } from '@lapse/express-session';
import type { AddressInfo } from 'node:net';
import { buildFastifyApp } from './buildFastifyApp.js';
import { principalOf } from './principalOf.js';

/** Options of {@link startFastifyExample}: the repository, the listener, and where and how to serve (a secret of at least 32 characters). */
export type FastifyExampleOptions = ExampleStartOptions;

/** A running fastify example. */
export interface FastifyExample {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The store the app uses. */
  readonly store: LapseStore;
  /** Closes every WebSocket, then the server. */
  close(): Promise<void>;
}

/** Starts the fastify example on a lapse store: the page and its routes, and WebSockets bound to their session at `/socket`. */
export async function startFastifyExample(options: FastifyExampleOptions): Promise<FastifyExample> {
  const { store, secret, cookieMaxAgeMs, port, host } = exampleStart(options, principalOf, 'lapse fastify example secret: set your own');
  const { app, authenticate } = await buildFastifyApp({ store, secret, cookieMaxAgeMs });
  const sockets = attachSessionSockets({ server: app.server, authenticate, repository: options.repository, listener: options.listener });
  await app.listen({ port, host });
  const address = app.server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    store,
    close: async () => {
      await closeSessionSockets(sockets);
      await app.close();
    },
  };
}
