import { attachSessionSockets as attach, type SessionSocketsOptions as SharedOptions } from '@lapse/example-shared';
import type { Request, RequestHandler, Response } from 'express';
import type { WebSocketServer } from 'ws';
import './sessionData.js';

/** Options of {@link attachSessionSockets}. */
export interface SessionSocketsOptions extends Omit<SharedOptions, 'authenticate'> {
  /** The app's session middleware, run on each upgrade request to find its session. */
  sessionMiddleware: RequestHandler;
}

/**
 * The shared WebSockets bound to their session (`attachSessionSockets` of `@lapse/example-shared`),
 * an upgrade request's session found by running express-session's middleware on it.
 */
export function attachSessionSockets(options: SessionSocketsOptions): WebSocketServer {
  const { sessionMiddleware, ...rest } = options;
  return attach({
    ...rest,
    authenticate: (req) =>
      new Promise((resolve) => {
        const request = req as Request;
        sessionMiddleware(request, {} as Response, (error?: unknown) => {
          const user = request.session?.user;
          resolve(error !== undefined || user === undefined ? null : { sessionId: request.sessionID, user });
        });
      }),
  });
}
