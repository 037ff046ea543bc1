import { DEFAULT_NAMESPACE, InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import {
  DEFAULT_SCAN_COUNT,
  DEFAULT_TTL_SECONDS,
  STORE_OPTION_NAMES,
  type LapseStoreOptions,
  type PrincipalOf,
} from './LapseStoreOptions.js';
import type { LapseStore } from './LapseStore.js';
import { checkPrincipalAttribute, principalAttributeResolver, requireResolverReads } from './principalAttribute.js';
import { storeSessionIdGenerator } from './storeSessionIds.js';

/**
 * The options of a store, checked, defaults applied (connect-redis's defaults and falsy rules):
 * the store's public settings, typed and documented on {@link LapseStore}, and what only its
 * constructor needs.
 */
export type ResolvedStoreOptions = Pick<LapseStore, 'repository' | 'client' | 'prefix' | 'ttl' | 'disableTTL' | 'disableTouch' | 'serializer' | 'scanCount'> & {
  /** Whether the store built the repository (and so closes it). */
  readonly ownsRepository: boolean;
  /** The `principal` option: a function of the data, or the name of the attribute holding the user name. */
  readonly principal: PrincipalOf | string | undefined;
};

/** Checks `options` (unknown ones refused) and builds the repository from `client` when given. */
export function resolveStoreOptions(options: LapseStoreOptions): ResolvedStoreOptions {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'must be an object such as { client }');
  for (const name of Object.keys(options)) {
    if (!(STORE_OPTION_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(name, `is not an option of LapseStore (known: ${STORE_OPTION_NAMES.join(', ')})`);
    }
  }
  const { client, repository } = options;
  if ((client === undefined) === (repository === undefined)) {
    throw new InvalidArgumentError('client', 'give either client (an ioredis or connected node-redis client) or repository, not both');
  }
  const ttl = options.ttl || DEFAULT_TTL_SECONDS;
  if (typeof ttl !== 'function' && (typeof ttl !== 'number' || !Number.isFinite(ttl))) {
    throw new InvalidArgumentError('ttl', `must be a number of seconds or a function, got ${String(ttl)}`);
  }
  const scanCount = options.scanCount || DEFAULT_SCAN_COUNT;
  if (!Number.isInteger(scanCount) || scanCount < 1) throw new InvalidArgumentError('scanCount', `must be a positive integer, got ${String(scanCount)}`);
  const serializer = options.serializer || JSON;
  if (serializer === null || typeof serializer !== 'object' || typeof serializer.parse !== 'function' || typeof serializer.stringify !== 'function') {
    throw new InvalidArgumentError('serializer', 'must have parse(text) and stringify(session) functions');
  }
  for (const flag of ['disableTTL', 'disableTouch'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new InvalidArgumentError(flag, `must be a boolean, got ${String(options[flag])}`);
  }
  const { principal } = options;
  if (typeof principal === 'string') checkPrincipalAttribute(principal);
  else if (principal !== undefined && typeof principal !== 'function') {
    throw new InvalidArgumentError('principal', `must be a function of the session data or the name of the attribute holding the user name, got ${typeof principal}`);
  }
  let built: RedisIndexedSessionRepository;
  let prefix: string;
  if (repository !== undefined) {
    if (repository === null || typeof repository !== 'object' || typeof repository.findById !== 'function' || typeof repository.writeSessionHash !== 'function') {
      throw new InvalidArgumentError('repository', 'must be a RedisIndexedSessionRepository');
    }
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
    if (typeof prefix !== 'string') throw new InvalidArgumentError('prefix', `must be a string, got ${typeof prefix}`);
    const repositoryOptions = options.repositoryOptions ?? {};
    if (repositoryOptions === null || typeof repositoryOptions !== 'object') throw new InvalidArgumentError('repositoryOptions', 'must be an object');
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
  };
}
