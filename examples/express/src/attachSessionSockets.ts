import type { SessionEventListener } from '@lapse/events';
import { SessionKeepAlive } from '@lapse/express-session';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { closeReason, SESSION_ENDED_CLOSE_CODE } from './closeReason.js';
import './sessionData.js';

/** Options of {@link attachSessionSockets}. */
export interface SessionSocketsOptions {
  /** The HTTP server whose upgrade requests to handle. */
  server: Server;
  /** The app's session middleware, run on each upgrade request to find its session. */
  sessionMiddleware: RequestHandler;
  /** The repository sessions are kept in (for the keep-alive). */
  repository: RedisIndexedSessionRepository;
  /** A started listener: its `watch(sessionId)` closes a socket when its session ends. */
  listener: SessionEventListener;
  /** Shortest time between two session refreshes caused by socket activity, in ms. */
  keepAliveIntervalMs: number;
  /** The path WebSockets connect to. @defaultValue `'/socket'` */
  path?: string;
}

/**
 * WebSockets that live exactly as long as their session: an upgrade is accepted only with the
 * cookie of a logged-in session; the socket is closed (code {@link SESSION_ENDED_CLOSE_CODE})
 * as soon as that session is logged out, ended by "log out everywhere", or expires; and every
 * message counts as activity that keeps the session alive. Each message is echoed back with
 * the user's name.
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
    const request = req as Request;
    options.sessionMiddleware(request, {} as Response, (error?: unknown) => {
      const user = request.session?.user;
      if (error !== undefined || user === undefined) {
        refuse(socket, '401 Unauthorized');
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => serve(ws, request.sessionID, user));
    });
  });

  function serve(ws: WebSocket, sessionId: string, user: string): void {
    const ended = options.listener.watch(sessionId);
    const keepAlive = new SessionKeepAlive({ repository: options.repository, sessionId, intervalMs: options.keepAliveIntervalMs });
    const close = (): void => ws.close(SESSION_ENDED_CLOSE_CODE, closeReason(ended.reason));
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

/** Answers an upgrade request with an HTTP error and closes the connection. */
function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
