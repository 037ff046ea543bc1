import { InvalidArgumentError } from './errors/InvalidArgumentError.js';
import { DEFAULT_NAMESPACE } from './keys/SessionKeys.js';
import { DEFAULT_CLUSTER_SHARDS } from './keys/SessionKeyspace.js';
import { defaultPrincipalNameResolver } from './principal/PrincipalNameResolver.js';
import type { EventStreamRetention } from './expiration/RedisSessionExpirationIndex.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import { JsonSessionSerializer } from './serializer/JsonSessionSerializer.js';
import { defaultSessionIdGenerator } from './session/SessionIdGenerator.js';

/** Spring's `DEFAULT_CLEANUP_CRON`: every minute at second 0. */
export const DEFAULT_CLEANUP_CRON = '0 * * * * *';
/** How long a session-end record stays in the event stream by default, in seconds: 24 hours. */
export const DEFAULT_EVENT_STREAM_MAX_AGE = 86_400;
/** Spring's default inactivity timeout: 30 minutes. */
export const DEFAULT_MAX_INACTIVE_INTERVAL = 1800;

const FLUSH_MODES = ['on-save', 'immediate'] as const;
const SAVE_MODES = ['on-set-attribute', 'on-get-attribute', 'always'] as const;
const EXPIRATION_INDEXES = ['minute-buckets', 'sorted-set'] as const;

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new InvalidArgumentError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(name, `must be a positive integer, got ${String(value)}`);
  return value;
}

function nonNegativeNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(name, `must be a non-negative finite number, got ${String(value)}`);
  }
  return value;
}

function booleanOption(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(name, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** Applies defaults and rejects options lapse cannot use, with an {@link InvalidArgumentError}. */
export function resolveRepositoryOptions(
  options: RedisIndexedSessionRepositoryOptions,
  clientDatabase: number,
): ResolvedRepositoryOptions {
  const interval = options.defaultMaxInactiveInterval ?? DEFAULT_MAX_INACTIVE_INTERVAL;
  if (!Number.isInteger(interval)) {
    throw new InvalidArgumentError('defaultMaxInactiveInterval', `must be an integer number of seconds, got ${String(interval)}`);
  }
  return {
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    defaultMaxInactiveInterval: interval,
    flushMode: oneOf('flushMode', options.flushMode, FLUSH_MODES, 'on-save'),
    saveMode: oneOf('saveMode', options.saveMode, SAVE_MODES, 'on-set-attribute'),
    cleanupCron: options.cleanupCron === undefined ? DEFAULT_CLEANUP_CRON : options.cleanupCron,
    expirationIndex: oneOf('expirationIndex', options.expirationIndex, EXPIRATION_INDEXES, 'minute-buckets'),
    maxSweepIntervalMs: positiveInteger('maxSweepIntervalMs', options.maxSweepIntervalMs, 1000),
    clusterShards: positiveInteger('clusterShards', options.clusterShards, DEFAULT_CLUSTER_SHARDS),
    serializer: options.serializer ?? new JsonSessionSerializer(),
    sessionIdGenerator: options.sessionIdGenerator ?? defaultSessionIdGenerator,
    principalNameResolver: options.principalNameResolver ?? defaultPrincipalNameResolver,
    database: options.database ?? clientDatabase,
    onCleanupError: options.onCleanupError ?? ((error: Error) => process.emitWarning(error, { code: 'LAPSE_CLEANUP_FAILED' })),
    eventStreamMaxLength: positiveInteger('eventStreamMaxLength', options.eventStreamMaxLength, 100_000),
    eventStreamMaxAge: nonNegativeNumber('eventStreamMaxAge', options.eventStreamMaxAge, DEFAULT_EVENT_STREAM_MAX_AGE),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', options.commandTimeoutMs, 10_000),
    coalesceWrites: booleanOption('coalesceWrites', options.coalesceWrites, true),
    maxAttributeBytes: positiveInteger('maxAttributeBytes', options.maxAttributeBytes, 1024 * 1024),
    clock: options.clock ?? Date.now,
  };
}

/** The event stream's length cap and age bound (in ms, rounded) as the scripts take them. */
export function eventStreamRetention(options: Pick<ResolvedRepositoryOptions, 'eventStreamMaxLength' | 'eventStreamMaxAge'>): EventStreamRetention {
  return { maxLength: options.eventStreamMaxLength, maxAgeMs: Math.round(options.eventStreamMaxAge * 1000) };
}
