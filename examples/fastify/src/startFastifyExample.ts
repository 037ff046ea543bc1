import type { SessionEventListener } from '@lapse/events';
import { attachSessionSockets, closeSessionSockets } from '@lapse/example-shared';
import { LapseStore } from '@lapse/express-session';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { AddressInfo } from 'node:net';
import { buildFastifyApp } from './buildFastifyApp.js';
import { principalOf } from './principalOf.js';

/** Options of {@link startFastifyExample}. */
export interface FastifyExampleOptions {
  /** Where sessions are kept; stays the caller's to close. */
  repository: RedisIndexedSessionRepository;
  /** A started listener on the same repository (its `watch()` closes a socket when its session ends); stays the caller's to close. */
  listener: SessionEventListener;
  /** Port to listen on (`0`: any free port). @defaultValue `0` */
  port?: number;
  /** Host to listen on. @defaultValue `'127.0.0.1'` */
  host?: string;
  /** Secret signing the session cookie, at least 32 characters. @defaultValue a fixed demo secret (set your own) */
  secret?: string;
  /** Session cookie maxAge in ms, also the inactivity timeout. @defaultValue `1_800_000` (30 minutes) */
  cookieMaxAgeMs?: number;
}

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
  const store = new LapseStore({ repository: options.repository, principal: principalOf });
  const { app, authenticate } = await buildFastifyApp({
    store,
    secret: options.secret ?? 'lapse fastify example secret: set your own',
    cookieMaxAgeMs: options.cookieMaxAgeMs ?? 1_800_000,
  });
  const sockets = attachSessionSockets({ server: app.server, authenticate, repository: options.repository, listener: options.listener });
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
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
