import type { LapseStore } from '@lapse/express-session';
import { listDevices, parseLogin, PUBLIC_DIR } from '@lapse/example-shared';
import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import './sessionData.js';

/** Options of {@link createExampleApp}. */
export interface ExampleAppOptions {
  /** The session store (its repository also serves "log out everywhere"). */
  store: LapseStore;
  /** Secret signing the session cookie. */
  secret: string;
  /** The session cookie's maxAge, in ms: also the session's inactivity timeout. */
  cookieMaxAgeMs: number;
}

/** The example's HTTP side: the express app, and its session middleware (reused to authenticate WebSocket upgrades). */
export interface ExampleApp {
  readonly app: Express;
  readonly sessionMiddleware: RequestHandler;
}

/**
 * An express app with express-session on a {@link LapseStore}, rolling sessions, and these routes:
 * - `GET /`: the examples' web page (`index.html` and `app.js` of `@lapse/example-shared`, served as they are);
 * - `POST /login` `{ "user": "ada", "device"?: "laptop", "maxAgeSeconds"?: 3 }`: regenerates the session
 *   (against session fixation) and logs the user in, on a named device, for `maxAgeSeconds` of inactivity
 *   (default: `cookieMaxAgeMs`);
 * - `GET /me`: the logged-in user (name, session id, device), or 401;
 * - `GET /devices`: the user's sessions (`findByPrincipalName`), or 401;
 * - `POST /logout`: ends this session;
 * - `POST /logout-everywhere`: ends every session of the user (`deleteByPrincipalName`).
 */
export function createExampleApp(options: ExampleAppOptions): ExampleApp {
  const repository = options.store.repository;
  const sessionMiddleware = session({
    store: options.store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { maxAge: options.cookieMaxAgeMs, httpOnly: true, sameSite: 'lax' },
  });
  const app = express();
  app.use(express.static(PUBLIC_DIR));
  app.use(express.json());
  app.use(sessionMiddleware);

  app.post('/login', (req, res, next) => {
    const parsed = parseLogin(req.body);
    if ('error' in parsed) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    const { user, device, maxAgeSeconds } = parsed.login;
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.user = user;
      if (device !== undefined) req.session.device = device;
      if (maxAgeSeconds !== undefined) {
        // Rolling sessions start every response from originalMaxAge: set both.
        req.session.cookie.originalMaxAge = maxAgeSeconds * 1000;
        req.session.cookie.maxAge = maxAgeSeconds * 1000;
      }
      req.session.save((saveError) => (saveError ? next(saveError) : res.json({ user: req.session.user, sessionId: req.sessionID })));
    });
  });

  app.get('/devices', async (req, res) => {
    const user = req.session.user;
    if (user === undefined) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    res.json({ user, devices: await listDevices(repository, user, req.sessionID) });
  });

  app.get('/me', (req, res) => {
    if (req.session.user === undefined) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    res.json({ user: req.session.user, sessionId: req.sessionID, device: req.session.device ?? null });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.json({ loggedOut: true })));
  });

  app.post('/logout-everywhere', async (req, res) => {
    const user = req.session.user;
    if (user === undefined) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    const ended = await repository.deleteByPrincipalName(user, { reason: 'logout-everywhere' });
    // This session is already gone; destroying it keeps express-session from writing it again.
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error as Error) : resolve())));
    res.json({ ended });
  });

  return { app, sessionMiddleware };
}
