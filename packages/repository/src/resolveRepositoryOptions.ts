import { DEFAULT_NAMESPACE } from './keys/SessionKeys.js';
import { DEFAULT_CLUSTER_SHARDS } from './keys/SessionKeyspace.js';
import { defaultPrincipalNameResolver } from './principal/PrincipalNameResolver.js';
import type { EventStreamRetention } from './expiration/ExpirationStrategy.js';
import { optionRule } from './options/optionRule.js';
import { checkRepositoryOptions, EXPIRATION_INDEXES, FLUSH_MODES, SAVE_MODES } from './options/repositoryOptionRules.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import { JsonSessionSerializer } from './serializer/JsonSessionSerializer.js';
import { defaultSessionIdGenerator } from './session/SessionIdGenerator.js';

/** Spring's `DEFAULT_CLEANUP_CRON`: every minute at second 0. */
export const DEFAULT_CLEANUP_CRON = '0 * * * * *';
/** How long a session-end record stays in the event stream by default, in seconds: 24 hours. */
export const DEFAULT_EVENT_STREAM_MAX_AGE = 86_400;
/** Spring's default inactivity timeout: 30 minutes. */
export const DEFAULT_MAX_INACTIVE_INTERVAL = 1800;

/** `value`, checked by `rule` (already done by {@link checkRepositoryOptions}), else `fallback`. */
function orDefault<T>(name: string, value: T | undefined, rule: (value: unknown, name: string) => void, fallback: T): T {
  if (value === undefined) return fallback;
  rule(value, name);
  return value;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  return orDefault(name, value, optionRule.oneOf(...allowed), fallback);
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  return orDefault(name, value, optionRule.positiveInteger, fallback);
}

function nonNegativeNumber(name: string, value: number | undefined, fallback: number): number {
  return orDefault(name, value, optionRule.nonNegativeNumber, fallback);
}

function booleanOption(name: string, value: boolean | undefined, fallback: boolean): boolean {
  return orDefault(name, value, optionRule.boolean, fallback);
}

/**
 * Applies defaults and rejects options lapse cannot use (unknown names, wrong types, out of
 * range: {@link checkRepositoryOptions}), with an {@link InvalidArgumentError}.
 */
export function resolveRepositoryOptions(
  options: RedisIndexedSessionRepositoryOptions,
  clientDatabase: number,
): ResolvedRepositoryOptions {
  checkRepositoryOptions(options);
  options ??= {};
  const interval = options.defaultMaxInactiveInterval ?? DEFAULT_MAX_INACTIVE_INTERVAL;
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
