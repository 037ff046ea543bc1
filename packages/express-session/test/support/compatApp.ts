import express from 'express';
import session, { type Store } from 'express-session';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

declare module 'express-session' {
  interface SessionData {
    user?: string;
    visits?: number;
  }
}

/** Options of {@link startCompatApp}: the app's express-session settings. */
export interface CompatAppOptions {
  store: Store;
  rolling?: boolean;
  maxAgeMs?: number;
  /** express-session's `genid` (its default when absent). */
  genid?: () => string;
}

/** A running app: its base URL and how to stop it. */
export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A typical express-session app, written as for connect-redis (`resave: false`,
 * `saveUninitialized: false`, a cookie maxAge); the store is the only thing a test changes.
 * POST /visit counts visits (an anonymous session), POST /login regenerates the session and
 * stores the user, GET /me reads it (changing nothing), POST /logout destroys it.
 */
export async function startCompatApp(options: CompatAppOptions): Promise<RunningApp> {
  const app = express();
  app.use(express.json());
  app.use(
    session({
      store: options.store,
      secret: 'compatibility test secret',
      resave: false,
      saveUninitialized: false,
      rolling: options.rolling ?? false,
      cookie: { maxAge: options.maxAgeMs ?? 60_000 },
      ...(options.genid === undefined ? {} : { genid: options.genid }),
    }),
  );
  app.post('/visit', (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1;
    res.json({ sid: req.sessionID, visits: req.session.visits });
  });
  app.post('/login', (req, res, next) => {
    const user = (req.body as { user?: unknown } | undefined)?.user;
    if (typeof user !== 'string') {
      res.status(400).json({ error: 'user required' });
      return;
    }
    const previous = req.sessionID;
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.user = user;
      req.session.save((saveError) => (saveError ? next(saveError) : res.json({ sid: req.sessionID, previous, user })));
    });
  });
  app.get('/me', (req, res) => {
    if (req.session.user === undefined) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    res.json({ sid: req.sessionID, user: req.session.user, visits: req.session.visits ?? 0 });
  });
  app.post('/logout', (req, res, next) => {
    const sid = req.sessionID;
    req.session.destroy((error) => (error ? next(error) : res.json({ sid, loggedOut: true })));
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
