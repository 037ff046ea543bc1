import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { LapseStore } from '@lapse/express-session';
import Fastify, { type FastifyInstance } from 'fastify';
import './sessionData.js';

/** Options of {@link buildFastifyApp}. */
export interface FastifyAppOptions {
  /** The session store (its repository also serves "log out everywhere"). */
  store: LapseStore;
  /** Secret signing the session cookie: at least 32 characters. */
  secret: string;
  /** The session cookie's maxAge in ms, also the session's inactivity timeout. */
  cookieMaxAgeMs: number;
}

/**
 * A fastify app with @fastify/cookie and @fastify/session on a {@link LapseStore}, and the routes
 * of the express example: `POST /login` `{ "user": "ada" }` (regenerates the session, then logs
 * in), `GET /me`, `POST /logout`, `POST /logout-everywhere`.
 */
export async function buildFastifyApp(options: FastifyAppOptions): Promise<FastifyInstance> {
  const repository = options.store.repository;
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    store: options.store,
    secret: options.secret,
    saveUninitialized: false,
    cookie: { maxAge: options.cookieMaxAgeMs, secure: false, httpOnly: true, sameSite: 'lax' },
  });

  app.post('/login', async (request, reply) => {
    const user = (request.body as { user?: unknown } | null)?.user;
    if (typeof user !== 'string' || user.length === 0) return reply.code(400).send({ error: 'body must be {"user": "<name>"}' });
    await request.session.regenerate();
    request.session.user = user;
    await request.session.save();
    return { user, sessionId: request.session.sessionId };
  });

  app.get('/me', async (request, reply) => {
    const user = request.session.user;
    if (user === undefined) return reply.code(401).send({ error: 'not logged in' });
    return { user, sessionId: request.session.sessionId };
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

  return app;
}
