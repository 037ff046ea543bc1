import { DEFAULT_NAMESPACE, InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import {
  DEFAULT_SCAN_COUNT,
  DEFAULT_TTL_SECONDS,
  STORE_OPTION_NAMES,
  type LapseStoreOptions,
  type PrincipalOf,
  type StoreSerializer,
  type TtlOf,
} from './LapseStoreOptions.js';
import { storeSessionIdGenerator } from './storeSessionIds.js';

/** The options of a store, checked, defaults applied (connect-redis's defaults and falsy rules). */
export interface ResolvedStoreOptions {
  readonly repository: RedisIndexedSessionRepository;
  /** Whether the store built the repository (and so closes it). */
  readonly ownsRepository: boolean;
  readonly client: object;
  readonly prefix: string;
  readonly ttl: number | TtlOf;
  readonly disableTTL: boolean;
  readonly disableTouch: boolean;
  readonly serializer: StoreSerializer;
  readonly scanCount: number;
  readonly principal: PrincipalOf | undefined;
}

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
  if (options.principal !== undefined && typeof options.principal !== 'function') {
    throw new InvalidArgumentError('principal', 'must be a function of the session data');
  }
  let built: RedisIndexedSessionRepository;
  let prefix: string;
  if (repository !== undefined) {
    if (repository === null || typeof repository !== 'object' || typeof repository.findById !== 'function' || typeof repository.callRedis !== 'function') {
      throw new InvalidArgumentError('repository', 'must be a RedisIndexedSessionRepository');
    }
    for (const name of ['prefix', 'repositoryOptions'] as const) {
      if (options[name] !== undefined) throw new InvalidArgumentError(name, 'applies only with client: a repository has its own namespace and options');
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
    built = new RedisIndexedSessionRepository(client as NonNullable<typeof client>, {
      ...repositoryOptions,
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
    principal: options.principal,
  };
}
