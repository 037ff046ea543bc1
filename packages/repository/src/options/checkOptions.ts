import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import { nearestName } from './nearestName.js';

/**
 * How one option's value is checked: throws {@link InvalidArgumentError} naming `name` when the
 * value cannot be used. Called only for values other than `undefined` (an absent option takes
 * its default). See {@link optionRule} for the common ones.
 */
export type OptionRule = (value: unknown, name: string) => void;

/**
 * Every option a class takes, each with its rule: the one place its option names are listed, so
 * adding an option is one line. `satisfies OptionRules<keyof TheOptions>` makes the compiler
 * insist that every option of the interface has its rule.
 */
export type OptionRules<Name extends string = string> = Readonly<Record<Name, OptionRule>>;

/** Where {@link checkOptions} reports from. */
export interface CheckOptionsContext {
  /** The class or function the options belong to, for messages (`RedisIndexedSessionRepository`). */
  readonly owner: string;
  /** Put before each option's name in errors, for nested options (`repositoryOptions.`). @defaultValue `''` */
  readonly path?: string;
  /** The name of the options object itself, for a value that is no object. @defaultValue `'options'` */
  readonly argument?: string;
  /** Options that must be given: an absent one is refused by its rule (`must be …, got undefined`). @defaultValue none */
  readonly required?: readonly string[];
}

/**
 * Checks an options object before anything uses it: it must be an object (or `undefined`, meaning
 * none); every name must be one of `rules` (an unknown one is refused with the nearest known name
 * suggested: `cleanupcron: is not an option of RedisIndexedSessionRepository; did you mean
 * 'cleanupCron'?`), and each value other than `undefined` must pass its rule, as must the
 * `required` ones whatever their value. Throws
 * {@link InvalidArgumentError} naming the option.
 */
export function checkOptions(options: unknown, rules: OptionRules, context: CheckOptionsContext): void {
  const required = context.required ?? [];
  if (options === undefined && required.length === 0) return;
  const path = context.path ?? '';
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const argument = context.argument ?? 'options';
    throw new InvalidArgumentError(path === '' ? argument : path.replace(/\.$/, ''), `must be an object of options of ${context.owner}, got ${describeValue(options)}`);
  }
  const known = Object.keys(rules);
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(rules, name)) continue;
    const nearest = nearestName(name, known);
    const hint = nearest === undefined ? `its options are ${known.join(', ')}` : `did you mean '${nearest}'?`;
    throw new InvalidArgumentError(`${path}${name}`, `is not an option of ${context.owner}; ${hint}`);
  }
  const values = options as Readonly<Record<string, unknown>>;
  for (const name of known) {
    const value = values[name];
    if (value !== undefined || required.includes(name)) (rules[name] as OptionRule)(value, `${path}${name}`);
  }
}

/** A value as error messages show it: `null`, `42`, `"text"` (its first 80 characters), `an object`, `a function`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
