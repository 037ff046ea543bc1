import { InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import { checkOptions, DEFAULT_NAMESPACE } from '@lapse/repository/internal';
import {
  DEFAULT_SCAN_COUNT,
  DEFAULT_TTL_SECONDS,
  STORE_OPTION_RULES,
  type LapseStoreOptions,
  type PrincipalOf,
} from './LapseStoreOptions.js';
import type { LapseStore } from './LapseStore.js';
import { resolveMigrateFrom } from './ConnectRedisMigration.js';
import { resolveTouchAfter } from './lazyTouch.js';
import { checkPrincipalAttribute, principalAttributeResolver, requireResolverReads } from './principalAttribute.js';
import { storeSessionIdGenerator } from './storeSessionIds.js';

/**
 * The options of a store, checked, defaults applied (connect-redis's defaults and falsy rules):
 * the store's public settings, typed and documented on {@link LapseStore}, and what only its
 * constructor needs.
 */
export type ResolvedStoreOptions = Pick<
  LapseStore,
  'repository' | 'client' | 'prefix' | 'ttl' | 'disableTTL' | 'disableTouch' | 'serializer' | 'scanCount' | 'touchAfter' | 'migrateFrom'
> & {
  /** Whether the store built the repository (and so closes it). */
  readonly ownsRepository: boolean;
  /** The `principal` option: a function of the data, or the name of the attribute holding the user name. */
  readonly principal: PrincipalOf | string | undefined;
};

/** Checks `options` (unknown ones refused, with the nearest known name suggested) and builds the repository from `client` when given. */
export function resolveStoreOptions(options: LapseStoreOptions): ResolvedStoreOptions {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'must be an object such as { client }');
  // Unknown names (with the nearest known one suggested), types and ranges; then what goes together.
  checkOptions(options, STORE_OPTION_RULES, { owner: 'LapseStore' });
  const { client, repository } = options;
  if ((client === undefined) === (repository === undefined)) {
    throw new InvalidArgumentError('client', 'give either client (an ioredis or connected node-redis client) or repository, not both');
  }
  const ttl = options.ttl || DEFAULT_TTL_SECONDS;
  const scanCount = options.scanCount || DEFAULT_SCAN_COUNT;
  const serializer = options.serializer || JSON;
  const { principal } = options;
  if (typeof principal === 'string') checkPrincipalAttribute(principal);
  let built: RedisIndexedSessionRepository;
  let prefix: string;
  if (repository !== undefined) {
    for (const name of ['prefix', 'repositoryOptions'] as const) {
      if (options[name] !== undefined) throw new InvalidArgumentError(name, 'applies only with client: a repository has its own namespace and options');
    }
    if (typeof principal === 'string') {
      requireResolverReads(repository.options.principalNameResolver, principal, 'principal', 'build the repository with');
    }
    built = repository;
    prefix = `${repository.keyspace.channels.namespace}:`;
  } else {
    prefix = options.prefix ?? `${DEFAULT_NAMESPACE}:`;
    const repositoryOptions = options.repositoryOptions ?? {};
    for (const name of ['namespace', 'sessionIdGenerator']) {
      if (name in repositoryOptions) throw new InvalidArgumentError(`repositoryOptions.${name}`, 'is set by the store (use prefix for the namespace)');
    }
    const resolver = repositoryOptions.principalNameResolver;
    if (typeof principal === 'string' && resolver !== undefined) {
      requireResolverReads(resolver, principal, 'repositoryOptions.principalNameResolver', 'leave it unset (the store then uses one that reads the attribute) or pass');
    }
    built = new RedisIndexedSessionRepository(client as NonNullable<typeof client>, {
      ...repositoryOptions,
      // The attribute form: the repository's ends resolve the principal from that attribute.
      ...(typeof principal === 'string' && resolver === undefined ? { principalNameResolver: principalAttributeResolver(principal) } : {}),
      namespace: prefix.replace(/:+$/, ''),
      sessionIdGenerator: storeSessionIdGenerator,
    });
  }
  return {
    repository: built,
    ownsRepository: repository === undefined,
    client: built.client,
    prefix,
    ttl,
    disableTTL: options.disableTTL || false,
    disableTouch: options.disableTouch || false,
    serializer,
    scanCount,
    principal,
    touchAfter: resolveTouchAfter(options.touchAfter),
    migrateFrom: resolveMigrateFrom(options.migrateFrom, options.prefix),
  };
}
