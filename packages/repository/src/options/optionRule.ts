import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import { describeValue, type OptionRule } from './checkOptions.js';

/** A rule that refuses what `accepts` rejects, saying the option `must be <what>, got <value>`. */
function ruleOf(what: string, accepts: (value: unknown) => boolean): OptionRule {
  return (value, name) => {
    if (!accepts(value)) throw new InvalidArgumentError(name, `must be ${what}, got ${describeValue(value)}`);
  };
}

/** Whether `value` is an object whose `methods` are all functions. */
function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const record = value as Readonly<Record<string, unknown>>;
  return methods.every((method) => typeof record[method] === 'function');
}

/** The rules of {@link checkOptions} that most options need. */
export const optionRule = Object.freeze({
  /** A rule of its own: the option must be `what` (`'a number of seconds or a function'`), which `accepts` tells. */
  must: ruleOf,
  /** Anything: for an option checked elsewhere (a client, which `toRedisConnection` checks). */
  any: ((): void => undefined) as OptionRule,
  /** `true` or `false`. */
  boolean: ruleOf('true or false', (value) => typeof value === 'boolean'),
  /** A string (any, the empty one included: where more is required, the class checks it). */
  string: ruleOf('a string', (value) => typeof value === 'string'),
  /** A string of at least one character. */
  nonEmptyString: ruleOf('a non-empty string', (value) => typeof value === 'string' && value.length > 0),
  /** A function. */
  function: ruleOf('a function', (value) => typeof value === 'function'),
  /** A plain object (not `null`, not an array). */
  object: ruleOf('an object', (value) => value !== null && typeof value === 'object' && !Array.isArray(value)),
  /** A whole number, negative ones included. */
  integer: ruleOf('an integer', (value) => Number.isSafeInteger(value)),
  /** A whole number of at least 0. */
  nonNegativeInteger: ruleOf('an integer of at least 0', (value) => Number.isSafeInteger(value) && (value as number) >= 0),
  /** A whole number of at least 1. */
  positiveInteger: ruleOf('a positive integer', (value) => Number.isSafeInteger(value) && (value as number) > 0),
  /** A finite number of at least 0 (fractions allowed). */
  nonNegativeNumber: ruleOf('a finite number of at least 0', (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0),
  /** One of `allowed`. */
  oneOf: (...allowed: readonly string[]): OptionRule =>
    ruleOf(`one of ${allowed.map((choice) => `'${choice}'`).join(', ')}`, (value) => typeof value === 'string' && allowed.includes(value)),
  /** An object with these methods (`serialize`, `deserialize`). */
  withMethods: (...methods: readonly string[]): OptionRule => ruleOf(`an object with ${methods.map((m) => `${m}()`).join(' and ')}`, (value) => hasMethods(value, methods)),
});
