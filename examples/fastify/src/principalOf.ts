import type { SessionData } from 'express-session';

/** The example's principal: the logged-in user's name, from the session @fastify/session hands the store. */
export function principalOf(data: SessionData): string | undefined {
  const user = (data as { user?: unknown }).user;
  return typeof user === 'string' ? user : undefined;
}
