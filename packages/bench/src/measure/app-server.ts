/**
 * The express app of the bench in a process of its own: `node app-server.js PEER REDIS_URL`.
 * express 5 + express-session (rolling, resave: false, saveUninitialized: false, 30-minute
 * cookie) with connect-redis 10, LapseStore (default, or `touchAfter: 60`) or the floor of lapse's layout (`FloorStore`), on
 * node-redis 5.9: the express test app of `@lapse/redis-harness/express`. Routes: `POST /login`
 * (user, csrf token, locale), `GET /read` (reads the session: express-session then touches it),
 * `GET /write` (changes the csrf token: express-session then saves it). Answers `cpu` messages
 * with its CPU time so far.
 */
import { createSessionApp } from '@lapse/redis-harness/express';
import type { AddressInfo } from 'node:net';
import { openStorePeer } from '../stores/store-peers.js';
import { TIMEOUT_SECONDS } from '../session-data.js';
import { LAZY_TOUCH_AFTER_SECONDS, type AppPeer, type ServerMessage, type ServerRequest } from './app-protocol.js';

function send(message: ServerMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const peer = process.argv[2] as AppPeer;
  const url = process.argv[3] as string;
  const opened = await openStorePeer(peer === 'connect-redis' ? 'connect-redis' : peer === 'floor' ? 'floor:node-redis' : 'lapse-store:node-redis', url, {
    namespace: `bench:app-${peer}`,
    principal: true,
    ...(peer === 'lapse-store-lazy' ? { touchAfter: LAZY_TOUCH_AFTER_SECONDS } : {}),
  });
  // No body parsing, no regenerate at login: the measured routes (`/read`, `/write`) do the session work only.
  const app = createSessionApp({
    store: opened.store,
    secret: 'lapse bench',
    rolling: true,
    cookie: { maxAge: TIMEOUT_SECONDS * 1000, httpOnly: true },
    json: false,
    regenerate: false,
    login: (_body, n) => ({ user: `user-${String(n).padStart(6, '0')}`, csrf: n.toString(16).padStart(32, '0'), locale: 'en-US' }),
  });
  const server = app.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
  server.keepAliveTimeout = 60_000;
  process.on('message', (raw) => {
    const message = raw as ServerRequest;
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', micros: usage.user + usage.system });
    } else {
      server.closeAllConnections();
      server.close(() => void opened.close().finally(() => process.exit(0)));
    }
  });
  process.once('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
