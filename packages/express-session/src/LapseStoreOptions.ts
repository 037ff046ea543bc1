import { type RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import { checkRepositoryOptions, optionRule, type OptionRules } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import { type MigrateFrom, resolveMigrateFrom } from './ConnectRedisMigration.js';
import { resolveTouchAfter } from './lazyTouch.js';

/** connect-redis's default time to live of a session whose cookie has no expiry, in seconds (one day). */
export const DEFAULT_TTL_SECONDS = 86_400;

/** connect-redis's default SCAN `COUNT` for `all`, `length`, `ids` and `clear`. */
export const DEFAULT_SCAN_COUNT = 100;

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

/** The time to live of a session in seconds, computed from its data (connect-redis's `ttl` function). */
export type TtlOf = (data: SessionData) => number;

/** connect-redis's `serializer`: `stringify` gets the whole session at each `set`, `parse` its text at each `get` (may return a promise). */
export interface StoreSerializer {
  parse(text: string): SessionData | Promise<SessionData>;
  stringify(data: SessionData): string;
}

/** A client lapse accepts (what `RedisIndexedSessionRepository` takes). */
export type StoreClient = ConstructorParameters<typeof RedisIndexedSessionRepository>[0];

/** The repository options a store built from a client passes on (the store sets the namespace, ids and principal resolver). */
export type StoreRepositoryOptions = Omit<RedisIndexedSessionRepositoryOptions, 'namespace' | 'sessionIdGenerator'>;

/**
 * Options of {@link LapseStore}: connect-redis 9/10's, with the same meaning, plus lapse's
 * `principal`, `repository` and `repositoryOptions`. Give `client` (as for connect-redis) or
 * `repository` (full control), not both. An option not listed here is refused.
 */
export interface LapseStoreOptions {
  /**
   * An ioredis `Redis`/`Cluster` or a connected node-redis client: the store builds its
   * repository on it (namespace from `prefix`). Never closed by lapse.
   */
  client?: StoreClient;
  /** A repository you built (its namespace, id generator and options are used as they are). */
  repository?: RedisIndexedSessionRepository;
  /**
   * connect-redis's key prefix, mapped to lapse's namespace: keys are
   * `<prefix without its trailing ":">:sessions:<id>` and the rest of Spring's layout.
   * Only with `client`.
   * @defaultValue `'spring:session:'` (Spring Session's namespace)
   */
  prefix?: string;
  /**
   * Seconds to live of a session whose cookie has no `expires` (a number), or a function of the
   * session that decides alone, as connect-redis's `ttl`.
   * @defaultValue {@link DEFAULT_TTL_SECONDS} (86400, one day)
   */
  ttl?: number | TtlOf;
  /** Sessions never expire in Redis (connect-redis's `disableTTL`); `touch` does nothing. @defaultValue `false` */
  disableTTL?: boolean;
  /** `touch` does nothing (connect-redis's `disableTouch`). @defaultValue `false` */
  disableTouch?: boolean;
  /**
   * connect-redis's `serializer`. With one, the whole session is stored as its text in one
   * attribute (`lapse.serialized`); without, each top-level key is an attribute in JSON.
   * @defaultValue `JSON` (per attribute)
   */
  serializer?: StoreSerializer;
  /** SCAN `COUNT` of `all`, `length`, `ids`, `clear`. @defaultValue {@link DEFAULT_SCAN_COUNT} */
  scanCount?: number;
  /**
   * The principal (user) name of a session, filed in Spring's principal index so
   * `repository.findByPrincipalName` and `deleteByPrincipalName` find it. Either:
   *
   * - the name of the session attribute holding the user name, e.g. `'user'` for
   *   `req.session.user = 'ada'`: the principal is that attribute when it is a non-empty string
   *   (else the session has none). Nothing is stored besides the attribute itself, which stays
   *   a normal attribute of the session (with a `serializer`, the name is kept in
   *   `sessionAttr:<name>` beside the serialized session). Not `'cookie'` nor the store's own `lapse.principal`
   *   and `lapse.serialized`. A repository given as `repository` (or in
   *   `repositoryOptions.principalNameResolver`) must have a `principalNameResolver` whose
   *   `attributeNames` include it, such as `principalAttributeResolver(name)`, else the
   *   store refuses it; from `client` the store builds its repository with that resolver.
   * - a function of the session ({@link PrincipalOf}): its result is stored once more in the
   *   hash, in the store's attribute `lapse.principal`.
   *
   * @defaultValue the session's own `PRINCIPAL_NAME_INDEX_NAME` key or `SPRING_SECURITY_CONTEXT`
   */
  principal?: PrincipalOf | string;
  /** Options of the repository built from `client` (e.g. `cleanupCron`, `expirationIndex`). Only with `client`. */
  repositoryOptions?: StoreRepositoryOptions;
  /**
   * A lazy touch, in seconds (connect-mongo's `touchAfter`): `touch` sends nothing while the
   * session was last written less than `touchAfter` seconds ago (a `set` always writes). A
   * session may then end up to `touchAfter` seconds earlier than its cookie says, never later;
   * events are unchanged. A finite number >= 0.
   * @defaultValue `0` (every touch writes, as connect-redis's)
   */
  touchAfter?: number;
  /**
   * Sessions connect-redis wrote, moved into lapse's layout on first use (so switching the
   * import logs nobody out): when `get` finds no session, the store takes connect-redis's key
   * `<migrateFrom.prefix><id>` (once, atomically), stores the session, and deletes the key.
   * `false` turns it off (a miss is then one round trip instead of two).
   * @defaultValue `{ prefix }` with the store's `prefix` option when given, else `{ prefix: 'sess:' }` (connect-redis's default)
   */
  migrateFrom?: MigrateFrom | false;
}

/** connect-redis's rule: a falsy value (`0`, `''`, `null`, `false`) means the default. */
const orFalsy = (accepts: (value: unknown) => boolean) => (value: unknown): boolean => !value || accepts(value);

/**
 * Every option {@link LapseStore} knows, each with its rule (type and range; which options go
 * together is checked by the store): adding an option is adding its line here.
 */
export const STORE_OPTION_RULES = Object.freeze({
  // Checked by the repository (toRedisConnection), which says what to pass instead.
  client: optionRule.any,
  repository: optionRule.must('a RedisIndexedSessionRepository', (value) => {
    const candidate = value as Partial<RedisIndexedSessionRepository> | null;
    return candidate !== null && typeof candidate === 'object' && typeof candidate.findById === 'function' && typeof candidate.writeSessionHash === 'function';
  }),
  prefix: optionRule.string,
  ttl: optionRule.must('a number of seconds or a function', orFalsy((value) => typeof value === 'function' || (typeof value === 'number' && Number.isFinite(value)))),
  disableTTL: optionRule.boolean,
  disableTouch: optionRule.boolean,
  serializer: optionRule.must('an object with parse(text) and stringify(session) functions', orFalsy((value) => {
    const candidate = value as Partial<StoreSerializer>;
    return typeof candidate === 'object' && typeof candidate.parse === 'function' && typeof candidate.stringify === 'function';
  })),
  scanCount: optionRule.must('a positive integer', orFalsy((value) => Number.isSafeInteger(value) && (value as number) > 0)),
  principal: optionRule.must(
    'a function of the session data or the name of the attribute holding the user name',
    (value) => typeof value === 'function' || typeof value === 'string',
  ),
  repositoryOptions: (value, name) => checkRepositoryOptions(value, `${name}.`),
  // Their own resolvers check them (and say what they must be).
  touchAfter: (value) => void resolveTouchAfter(value),
  migrateFrom: (value) => void resolveMigrateFrom(value, undefined),
} satisfies OptionRules<keyof LapseStoreOptions>);
