import { parseArgs } from 'node:util';
import type { CommandSpec, CommonValues, OptionSpecs, OptionValues } from './CommandSpec.js';
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

/** Node's parseArgs message, shortened to what the user needs. */
function usageMessage(error: Error & { code?: string }): string {
  const name = quoted(error.message);
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = name?.split(' ')[0] ?? 'an option';
      return /argument missing/.test(error.message) ? `option ${option} needs a value` : `option ${option} takes no value`;
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
  try {
    parsed = parseArgs({ args: withIdsAsPositionals(argv), options, strict: true, allowPositionals: true });
  } catch (error) {
    if (error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(usageMessage(error));
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
