import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { SessionData } from 'express-session';

/** connect-redis's default time to live of a session whose cookie has no expiry, in seconds (one day). */
export const DEFAULT_TTL_SECONDS = 86_400;

/**
 * Maps an express-session (or @fastify/session) session to its principal (user) name, which
 * files the session in lapse's principal index; `null` or `undefined` when nobody is logged in.
 *
 * @example
 * ```ts
 * const principal: PrincipalOf = (data) => data.passport?.user;
 * ```
 */
export type PrincipalOf = (data: SessionData) => string | null | undefined;

/** The time to live of a session in seconds, computed from its data. */
export type TtlOf = (data: SessionData) => number;

/** Options of {@link LapseStore}. */
export interface LapseStoreOptions {
  /** Where sessions are kept. Its lifecycle (and its Redis connection) stays the caller's. */
  repository: RedisIndexedSessionRepository;
  /**
   * Seconds of inactivity before a session expires when its cookie does not say (no
   * `cookie.expires`, no `cookie.originalMaxAge`), as connect-redis's `ttl`. A function takes
   * precedence over the cookie, as in connect-redis.
   * @defaultValue {@link DEFAULT_TTL_SECONDS} (86400, one day)
   */
  ttl?: number | TtlOf;
  /**
   * The principal (user) name of a session, stored in Spring's `PRINCIPAL_NAME_INDEX_NAME`
   * attribute so `repository.findByPrincipalName` and `deleteByPrincipalName` find it. That
   * attribute is then the store's: it is not part of the session data `get` returns.
   * @defaultValue none: the principal index is fed only if the session data itself holds
   * `PRINCIPAL_NAME_INDEX_NAME` or `SPRING_SECURITY_CONTEXT`
   */
  principal?: PrincipalOf;
  /**
   * When `true`, `touch` does nothing (connect-redis's `disableTouch`): sessions expire
   * `ttl` after they were last saved, however often they are used.
   * @defaultValue `false`
   */
  disableTouch?: boolean;
}
