import { parseArgs } from 'node:util';
import type { CommandSpec, CommonValues, OptionSpec, OptionSpecs, OptionValues } from './CommandSpec.js';
import { commonOptions } from './commonOptions.js';
import { UsageError } from './UsageError.js';

/** A command line parsed for one command. */
export interface ParsedCommandArgs<O extends OptionSpecs> {
  /** `--help` was given: show the help and do nothing else. */
  readonly help: boolean;
  readonly values: OptionValues<O> & CommonValues;
  readonly positionals: readonly string[];
}

type ParseArgsOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The first quoted thing in a Node parseArgs message (`'--bogus'`). */
function quoted(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

/** What a value option takes, for messages: `N (exit after N events)`. */
function takes(spec: OptionSpec): string {
  return `${spec.valueName ?? 'a value'} (${spec.description})`;
}

/** The spec of `--name` or `-x` among `specs`. */
function specOf(word: string, specs: OptionSpecs): OptionSpec | undefined {
  if (word.startsWith('--')) return specs[word.slice(2).split('=')[0] ?? ''];
  return Object.values(specs).find((spec) => spec.short !== undefined && word === `-${spec.short}`);
}

/** Node's parseArgs message, shortened to what the user needs. */
function usageMessage(error: Error & { code?: string }, specs: OptionSpecs, argv: readonly string[]): string {
  const name = quoted(error.message);
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = name?.split(' ')[0] ?? 'an option';
      const spec = specOf(option, specs);
      if (/argument missing/.test(error.message)) return `option ${option} needs a value`;
      if (spec?.type === 'string') {
        // "argument is ambiguous": another option follows where its value should be.
        const next = argv[argv.indexOf(option) + 1];
        return `option ${option} takes ${takes(spec)}${next === undefined ? '' : `, got the option ${next} instead`}`;
      }
      return `option ${option} takes no value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${name ?? ''}`.trim();
    default:
      return error.message.split('\n')[0] ?? error.message;
  }
}

/**
 * Parses `argv` (the words after the command name) with `node:util` parseArgs against the
 * command's options plus the common ones, and checks the positional arguments. Throws
 * {@link UsageError} for anything wrong.
 */
export function parseCommandArgs<O extends OptionSpecs>(command: CommandSpec<O>, argv: readonly string[]): ParsedCommandArgs<O> {
  const specs: OptionSpecs = { ...command.options, ...commonOptions(command) };
  const options: ParseArgsOptions = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  let parsed: ReturnType<typeof parseArgs>;
  const args = withDashValuesJoined(withIdsAsPositionals(argv), specs);
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    if (error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(usageMessage(error, specs, args));
    }
    throw error;
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = raw[name];
    values[name] = spec.type === 'boolean' ? value === true : typeof value === 'string' ? value : undefined;
  }
  const help = values['help'] === true;
  const positionals = parsed.positionals;
  if (!help) checkPositionals(command, positionals);
  return { help, values: values as OptionValues<O> & CommonValues, positionals };
}

/** A lapse id (32 base64url characters) or a UUID: what a session id looks like. */
const SESSION_ID = /^(?:[A-Za-z0-9_-]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * A session id may start with `-` (one in 64 lapse ids does): such a word is moved behind a
 * `--`, so parseArgs takes it for the positional it is and not for an option.
 */
function withIdsAsPositionals(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const before = end === -1 ? [...argv] : argv.slice(0, end);
  const after = end === -1 ? [] : argv.slice(end + 1);
  const ids = before.filter((word) => word.startsWith('-') && SESSION_ID.test(word));
  if (ids.length === 0) return [...argv];
  return [...before.filter((word) => !ids.includes(word)), '--', ...ids, ...after];
}

/**
 * A value option followed by a word that starts with one `-` and is no option (`--count -1`,
 * `--expiring-within -5m`) takes that word as its value (`--count=-1`), so the option's own
 * check says what it takes instead of parseArgs calling the word ambiguous.
 */
function withDashValuesJoined(argv: readonly string[], specs: OptionSpecs): string[] {
  const end = argv.indexOf('--');
  const result: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    const next = argv[i + 1];
    const beforeEnd = end === -1 || i + 1 < end;
    if (
      beforeEnd &&
      word.startsWith('--') &&
      !word.includes('=') &&
      specOf(word, specs)?.type === 'string' &&
      next !== undefined &&
      /^-[^-]/.test(next) &&
      specOf(next, specs) === undefined
    ) {
      result.push(`${word}=${next}`);
      i += 1;
    } else {
      result.push(word);
    }
  }
  return result;
}

function checkPositionals(command: CommandSpec<OptionSpecs>, positionals: readonly string[]): void {
  const specs = command.positionals;
  const variadic = specs.some((spec) => spec.variadic === true);
  specs.forEach((spec, i) => {
    if (spec.required && positionals[i] === undefined) throw new UsageError(`missing ${spec.name}`);
  });
  if (!variadic && positionals.length > specs.length) {
    throw new UsageError(`unexpected argument '${positionals[specs.length] ?? ''}'`);
  }
  for (const value of positionals) {
    if (value.trim() === '') throw new UsageError('an argument is empty');
  }
}
