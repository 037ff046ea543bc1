import { closeSessionSockets, exampleStart, type ExampleStartOptions } from '@lapse/example-shared';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachSessionSockets } from './attachSessionSockets.js';
import { createExampleApp } from './createExampleApp.js';
import { principalOf } from './principalOf.js';

/** Options of {@link startExampleServer}: the repository, the listener, and where and how to serve. */
export type ExampleServerOptions = ExampleStartOptions;

/** A running example server. */
export interface ExampleServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Closes every WebSocket and connection, then the server. */
  close(): Promise<void>;
}

/** Starts the example: HTTP routes with express-session on lapse, and WebSockets bound to their session. */
export async function startExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  const { store, secret, cookieMaxAgeMs, port, host } = exampleStart(options, principalOf, 'lapse example secret: set your own');
  const { app, sessionMiddleware } = createExampleApp({ store, secret, cookieMaxAgeMs });
  const server = createServer(app);
  const sockets = attachSessionSockets({
    server,
    sessionMiddleware,
    repository: options.repository,
    listener: options.listener,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: async () => {
      await closeSessionSockets(sockets);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
