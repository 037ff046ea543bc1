import express, { type Express } from 'express';
import session, { type CookieOptions, type Store } from 'express-session';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The session as the routes read and write it (express-session's `SessionData` is left unaugmented). */
type Data = Record<string, unknown>;

/** Options of {@link createSessionApp}: the app's express-session settings, and how a login fills the session. */
export interface SessionAppOptions {
  /** The store under test (LapseStore, connect-redis, the bench's floor...). */
  store: Store;
  /** Secret signing the session cookie (a fixed test secret when absent). */
  secret?: string;
  /** express-session's `rolling` (default `false`, as express-session's). */
  rolling?: boolean;
  /** The session cookie's options (default `{ maxAge: 60_000 }`). */
  cookie?: CookieOptions;
  /** express-session's `genid` (its default when absent). */
  genid?: () => string;
  /** Parse JSON request bodies (`express.json()`, default `true`); the bench's app parses none. */
  json?: boolean;
  /** Regenerate the session at login, against session fixation (default `true`). */
  regenerate?: boolean;
  /**
   * The attributes a login stores, from the request body (`{}` when there is none) and the
   * login's sequence number. Default: `{ user: body.user }`. A login without a string `user`
   * answers 400.
   */
  login?: (body: Data, n: number) => Data;
}

/**
 * A typical express-session app around a given store (`resave: false`, `saveUninitialized: false`),
 * as for connect-redis; the store and the options are what a test or the bench changes. Routes:
 * - `POST /login`: (regenerates the session and) stores the login's attributes; `{ sid, previous, user }`, or 400;
 * - `GET /me`: the logged-in user as JSON `{ sid, user, visits }` (nothing changed), or 401;
 * - `GET /read`: the bench's read route: `hello <user> (<locale>)` as text (get + touch), or 401;
 * - `GET /write`: the bench's write route: a new csrf token (get + set), or 401;
 * - `POST /visit`: counts visits (an anonymous session), `{ sid, visits }`;
 * - `POST /logout`: destroys the session, `{ sid, loggedOut: true }`.
 * A test adds routes of its own on the returned app.
 */
export function createSessionApp(options: SessionAppOptions): Express {
  const app = express();
  if (options.json ?? true) app.use(express.json());
  app.use(
    session({
      store: options.store,
      secret: options.secret ?? 'lapse test secret',
      resave: false,
      saveUninitialized: false,
      rolling: options.rolling ?? false,
      cookie: options.cookie ?? { maxAge: 60_000 },
      ...(options.genid === undefined ? {} : { genid: options.genid }),
    }),
  );
  const attributes = options.login ?? ((body: Data): Data => ({ user: body['user'] }));
  let counter = 0;
  app.post('/login', (req, res, next) => {
    const login = attributes((req.body ?? {}) as Data, counter++);
    if (typeof login['user'] !== 'string') {
      res.status(400).json({ error: 'user required' });
      return;
    }
    const previous = req.sessionID;
    const store = (): void => {
      Object.assign(req.session, login);
      req.session.save((error) => (error ? next(error) : res.json({ sid: req.sessionID, previous, user: login['user'] })));
    };
    if (options.regenerate ?? true) req.session.regenerate((error) => (error ? next(error) : store()));
    else store();
  });
  app.get('/me', (req, res) => {
    const data = req.session as unknown as Data;
    if (data['user'] === undefined) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    res.json({ sid: req.sessionID, user: data['user'], visits: data['visits'] ?? 0 });
  });
  app.get('/read', (req, res) => {
    const data = req.session as unknown as Data;
    if (data['user'] === undefined) {
      res.status(401).send('not logged in');
      return;
    }
    res.send(`hello ${String(data['user'])} (${String(data['locale'])})`);
  });
  app.get('/write', (req, res) => {
    const data = req.session as unknown as Data;
    if (data['user'] === undefined) {
      res.status(401).send('not logged in');
      return;
    }
    data['csrf'] = (counter++).toString(16).padStart(32, '0');
    res.send('ok');
  });
  app.post('/visit', (req, res) => {
    const data = req.session as unknown as Data;
    data['visits'] = ((data['visits'] as number | undefined) ?? 0) + 1;
    res.json({ sid: req.sessionID, visits: data['visits'] });
  });
  app.post('/logout', (req, res, next) => {
    const sid = req.sessionID;
    req.session.destroy((error) => (error ? next(error) : res.json({ sid, loggedOut: true })));
  });
  return app;
}

/** A running app: its server, base URL (`http://127.0.0.1:<port>`) and how to stop it. */
export interface RunningApp {
  readonly server: Server;
  readonly url: string;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

/** Serves an app ({@link createSessionApp}'s, or one built from its options) on a free loopback port. */
export async function startSessionApp(app: Express | SessionAppOptions): Promise<RunningApp> {
  const server: Server = createServer(typeof app === 'function' ? app : createSessionApp(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
