import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { listDevices, parseLogin, PUBLIC_DIR, type SocketOwner } from '@lapse/example-shared';
import type { LapseStore } from '@lapse/express-session';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import './sessionData.js';

/** @fastify/session's shortest secret. */
export const MIN_SECRET_LENGTH = 32;

/** Options of {@link buildFastifyApp}. */
export interface FastifyAppOptions {
  /** The session store (its repository also serves "log out everywhere"). */
  store: LapseStore;
  /** Secret signing the session cookie: at least {@link MIN_SECRET_LENGTH} characters. */
  secret: string;
  /** The session cookie's maxAge in ms, also the session's inactivity timeout. */
  cookieMaxAgeMs: number;
}

/** The example's HTTP side: the fastify app, and how to find the session of a WebSocket upgrade request. */
export interface FastifyApp {
  readonly app: FastifyInstance;
  /** The logged-in session of an upgrade request (its signed `sessionId` cookie, read from the store), or `null`. */
  readonly authenticate: (req: IncomingMessage) => Promise<SocketOwner | null>;
}

/** The page's two files, with their content types. */
const PAGE_FILES = { '/': ['index.html', 'text/html; charset=utf-8'], '/app.js': ['app.js', 'text/javascript; charset=utf-8'] } as const;

/**
 * A fastify app with @fastify/cookie and @fastify/session on a {@link LapseStore} (rolling
 * sessions), and the express example's routes:
 * - `GET /` and `GET /app.js`: the examples' web page (of `@lapse/example-shared`, served as it is);
 * - `POST /login` `{ "user": "ada", "device"?: "laptop", "maxAgeSeconds"?: 3 }`: regenerates the session
 *   (against session fixation) and logs the user in, on a named device, for `maxAgeSeconds` of inactivity
 *   (default: `cookieMaxAgeMs`);
 * - `GET /me`: the logged-in user (name, session id, device), or 401;
 * - `GET /devices`: the user's sessions (`findByPrincipalName`), or 401;
 * - `POST /logout`: ends this session;
 * - `POST /logout-everywhere`: ends every session of the user (`deleteByPrincipalName`).
 *
 * Throws `RangeError` for a secret shorter than {@link MIN_SECRET_LENGTH} characters.
 */
export async function buildFastifyApp(options: FastifyAppOptions): Promise<FastifyApp> {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`the session secret must be at least ${MIN_SECRET_LENGTH} characters (@fastify/session's minimum), got ${options.secret.length}`);
  }
  const { store, secret } = options;
  const repository = store.repository;
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    store,
    secret,
    saveUninitialized: false,
    rolling: true,
    cookie: { maxAge: options.cookieMaxAgeMs, secure: false, httpOnly: true, sameSite: 'lax' },
  });

  for (const [path, [file, type]] of Object.entries(PAGE_FILES)) {
    const content = await readFile(join(PUBLIC_DIR, file));
    app.get(path, async (_request, reply) => reply.type(type).send(content));
  }

  app.post('/login', async (request, reply) => {
    const parsed = parseLogin(request.body);
    if ('error' in parsed) return reply.code(400).send({ error: parsed.error });
    const { user, device, maxAgeSeconds } = parsed.login;
    await request.session.regenerate();
    request.session.user = user;
    if (device !== undefined) request.session.device = device;
    // The cookie's maxAge setter sets originalMaxAge too, which the store turns into the session's timeout.
    if (maxAgeSeconds !== undefined) request.session.cookie.maxAge = maxAgeSeconds * 1000;
    await request.session.save();
    return { user, sessionId: request.session.sessionId };
  });

  app.get('/me', async (request, reply) => {
    const user = request.session.user;
    if (user === undefined) return reply.code(401).send({ error: 'not logged in' });
    return { user, sessionId: request.session.sessionId, device: request.session.device ?? null };
  });

  app.get('/devices', async (request, reply) => {
    const user = request.session.user;
    if (user === undefined) return reply.code(401).send({ error: 'not logged in' });
    return { user, devices: await listDevices(repository, user, request.session.sessionId) };
  });

  app.post('/logout', async (request) => {
    await request.session.destroy();
    return { loggedOut: true };
  });

  app.post('/logout-everywhere', async (request, reply) => {
    const user = request.session.user;
    if (user === undefined) return reply.code(401).send({ error: 'not logged in' });
    const ended = await repository.deleteByPrincipalName(user, { reason: 'logout-everywhere' });
    await request.session.destroy();
    return { ended };
  });

  const authenticate = async (req: IncomingMessage): Promise<SocketOwner | null> => {
    const signed = app.parseCookie(req.headers.cookie ?? '')['sessionId'];
    if (signed === undefined) return null;
    const { valid, value: sessionId } = fastifyCookie.unsign(signed, secret);
    if (!valid || sessionId === null) return null;
    const data = await new Promise<unknown>((resolve, reject) => store.get(sessionId, (error, session) => (error ? reject(error as Error) : resolve(session))));
    const user = (data as { user?: unknown } | null | undefined)?.user;
    return typeof user === 'string' ? { sessionId, user } : null;
  };

  return { app, authenticate };
}
