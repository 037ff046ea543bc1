import type { SessionEventListener } from '@lapse/events';
import { SessionKeepAlive } from '@lapse/express-session';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { closeReason, SESSION_ENDED_CLOSE_CODE } from './closeReason.js';

/** Who an upgrade request belongs to: its session and the logged-in user. */
export interface SocketOwner {
  readonly sessionId: string;
  readonly user: string;
}

/** Options of {@link attachSessionSockets}. */
export interface SessionSocketsOptions {
  /** The HTTP server whose upgrade requests to handle. */
  server: Server;
  /** Finds the logged-in session of an upgrade request (from its cookie), or `null` to refuse it with 401. */
  authenticate: (req: IncomingMessage) => Promise<SocketOwner | null>;
  /** The repository sessions are kept in (for the keep-alive). */
  repository: RedisIndexedSessionRepository;
  /** A started listener: its `watch(sessionId)` closes a socket when its session ends. */
  listener: SessionEventListener;
  /** The path WebSockets connect to. @defaultValue `'/socket'` */
  path?: string;
}

/**
 * WebSockets that live exactly as long as their session: an upgrade is accepted only with the
 * cookie of a logged-in session; the socket is closed (code {@link SESSION_ENDED_CLOSE_CODE})
 * as soon as that session is logged out, ended by "log out everywhere", or expires (the
 * listener's `watch()`), or when the keep-alive finds it gone; and every message counts as
 * activity that keeps the session alive ({@link SessionKeepAlive}, on the session's own
 * timeout). Each message is echoed back with the user's name.
 */
export function attachSessionSockets(options: SessionSocketsOptions): WebSocketServer {
  const path = options.path ?? '/socket';
  const sockets = new WebSocketServer({ noServer: true });

  options.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== path) {
      refuse(socket, '404 Not Found');
      return;
    }
    options.authenticate(req).then(
      (owner) => {
        if (owner === null) refuse(socket, '401 Unauthorized');
        else sockets.handleUpgrade(req, socket, head, (ws) => serve(ws, owner));
      },
      () => refuse(socket, '500 Internal Server Error'),
    );
  });

  function serve(ws: WebSocket, { sessionId, user }: SocketOwner): void {
    const ended = options.listener.watch(sessionId);
    const close = (): void => ws.close(SESSION_ENDED_CLOSE_CODE, closeReason(ended.reason));
    const keepAlive = new SessionKeepAlive({ repository: options.repository, sessionId, onGone: close });
    ended.addEventListener('abort', close, { once: true });
    ws.on('message', (data) => {
      void keepAlive.touch();
      ws.send(JSON.stringify({ user, echo: String(data) }));
    });
    ws.on('close', () => {
      ended.removeEventListener('abort', close);
      keepAlive.stop();
    });
    ws.send(JSON.stringify({ hello: user, sessionId }));
    if (ended.aborted) close();
  }

  return sockets;
}

/** Closes every socket of `sockets`, then the WebSocket server (at the example's shutdown). */
export async function closeSessionSockets(sockets: WebSocketServer): Promise<void> {
  for (const ws of sockets.clients) ws.terminate();
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
}

/** Answers an upgrade request with an HTTP error and closes the connection. */
function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
