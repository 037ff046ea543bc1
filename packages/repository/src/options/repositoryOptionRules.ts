import type { RedisIndexedSessionRepositoryOptions } from '../RepositoryOptions.js';
import type { CreateSessionOptions } from '../SessionRepository.js';
import { checkOptions, type OptionRules } from './checkOptions.js';
import { optionRule } from './optionRule.js';

/** The values of `flushMode`. */
export const FLUSH_MODES = ['on-save', 'immediate'] as const;
/** The values of `saveMode`. */
export const SAVE_MODES = ['on-set-attribute', 'on-get-attribute', 'always'] as const;
/** The values of `expirationIndex`. */
export const EXPIRATION_INDEXES = ['minute-buckets', 'sorted-set'] as const;

/**
 * Every option of {@link RedisIndexedSessionRepository} (and `MapSessionRepository`), each with
 * its rule: adding an option is adding its line here (the compiler insists).
 */
export const REPOSITORY_OPTION_RULES = Object.freeze({
  namespace: optionRule.string,
  defaultMaxInactiveInterval: optionRule.must('an integer number of seconds', (value) => Number.isSafeInteger(value)),
  flushMode: optionRule.oneOf(...FLUSH_MODES),
  saveMode: optionRule.oneOf(...SAVE_MODES),
  cleanupCron: optionRule.must('a node-cron expression or null', (value) => value === null || typeof value === 'string'),
  expirationIndex: optionRule.oneOf(...EXPIRATION_INDEXES),
  maxSweepIntervalMs: optionRule.positiveInteger,
  clusterShards: optionRule.positiveInteger,
  serializer: optionRule.withMethods('serialize', 'deserialize'),
  sessionIdGenerator: optionRule.withMethods('generate', 'isValid'),
  principalNameResolver: optionRule.must(
    'an object with resolve() and attributeNames',
    (value) => value !== null && typeof value === 'object' && typeof (value as { resolve?: unknown }).resolve === 'function' && Array.isArray((value as { attributeNames?: unknown }).attributeNames),
  ),
  database: optionRule.nonNegativeInteger,
  onCleanupError: optionRule.function,
  eventStreamMaxLength: optionRule.positiveInteger,
  eventStreamMaxAge: optionRule.nonNegativeNumber,
  commandTimeoutMs: optionRule.positiveInteger,
  coalesceWrites: optionRule.boolean,
  maxAttributeBytes: optionRule.positiveInteger,
  clock: optionRule.function,
} satisfies OptionRules<keyof RedisIndexedSessionRepositoryOptions>);

/**
 * Refuses repository options lapse cannot use (unknown names, with the nearest known one
 * suggested; wrong types; out-of-range numbers) with `InvalidArgumentError`, before anything is
 * built. `path` goes before each name in errors (`repositoryOptions.` for the store's).
 */
export function checkRepositoryOptions(options: unknown, path = ''): void {
  checkOptions(options, REPOSITORY_OPTION_RULES, { owner: 'RedisIndexedSessionRepository', path });
}

/** The options of `createSession`. */
const CREATE_SESSION_RULES = Object.freeze({
  id: optionRule.string,
  maxInactiveInterval: REPOSITORY_OPTION_RULES.defaultMaxInactiveInterval,
} satisfies OptionRules<keyof CreateSessionOptions>);

/** Refuses `createSession` options it cannot use, with `InvalidArgumentError` naming the option. */
export function checkCreateSessionOptions(options: unknown): CreateSessionOptions {
  checkOptions(options, CREATE_SESSION_RULES, { owner: 'createSession' });
  return (options ?? {}) as CreateSessionOptions;
}
