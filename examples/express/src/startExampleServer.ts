import type { SessionEventListener } from '@lapse/events';
import { closeSessionSockets } from '@lapse/example-shared';
import { LapseStore } from '@lapse/express-session';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachSessionSockets } from './attachSessionSockets.js';
import { createExampleApp } from './createExampleApp.js';
import { principalOf } from './principalOf.js';

/** Options of {@link startExampleServer}. */
export interface ExampleServerOptions {
  /** Where sessions are kept; stays the caller's to close. */
  repository: RedisIndexedSessionRepository;
  /** A started listener on the same repository; stays the caller's to close. */
  listener: SessionEventListener;
  /** Port to listen on (`0`: any free port). @defaultValue `0` */
  port?: number;
  /** Host to listen on. @defaultValue `'127.0.0.1'` */
  host?: string;
  /** Secret signing the session cookie. @defaultValue a fixed demo secret (set your own) */
  secret?: string;
  /** Session cookie maxAge in ms, also the inactivity timeout. @defaultValue `1_800_000` (30 minutes) */
  cookieMaxAgeMs?: number;
}

/** A running example server. */
export interface ExampleServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Closes every WebSocket and connection, then the server. */
  close(): Promise<void>;
}

/** Starts the example: HTTP routes with express-session on lapse, and WebSockets bound to their session. */
export async function startExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  const store = new LapseStore({ repository: options.repository, principal: principalOf });
  const { app, sessionMiddleware } = createExampleApp({
    store,
    secret: options.secret ?? 'lapse example secret: set your own',
    cookieMaxAgeMs: options.cookieMaxAgeMs ?? 1_800_000,
  });
  const server = createServer(app);
  const sockets = attachSessionSockets({
    server,
    sessionMiddleware,
    repository: options.repository,
    listener: options.listener,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
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
