import type { ExitCode } from './ExitCode.js';
import type { Output } from './Output.js';

/** One command-line option of a command. */
export interface OptionSpec {
  /** `'string'` takes a value (`--principal ada`), `'boolean'` is a switch (`--json`). */
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`-h`). */
  readonly short?: string;
  /** The value's placeholder in the help (`NAME`, `DURATION`). */
  readonly valueName?: string;
  /** What the option does, one line, for the help. */
  readonly description: string;
}

/** The options of a command, by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed values of `O`: strings (or `undefined` when absent) and booleans. */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: O[K]['type'] extends 'string' ? string | undefined : boolean;
};

/** The options every command takes. */
export interface CommonValues {
  /** `--redis URL`. */
  readonly redis: string | undefined;
  /** `--client LIB` (`node-redis` or `ioredis`). */
  readonly client: string | undefined;
  /** `--namespace NS`. */
  readonly namespace: string | undefined;
}

/** A positional argument of a command. */
export interface PositionalSpec {
  /** Its placeholder in the help (`ID`, `PRINCIPAL`). */
  readonly name: string;
  /** Whether the command fails with a usage error without it. */
  readonly required: boolean;
  /** Whether it takes every remaining argument (`ID...`). */
  readonly variadic?: boolean;
}

/** One example of a command's help. */
export interface Example {
  /** The command line, starting with `lapse`. */
  readonly command: string;
  /** What it does. */
  readonly what: string;
}

/** What a command's `run` gets. */
export interface CommandInput<O extends OptionSpecs> {
  /** The option values, common ones included. */
  readonly values: OptionValues<O> & CommonValues;
  /** The positional arguments, already checked against the command's {@link PositionalSpec}s. */
  readonly positionals: readonly string[];
  /** Where to write. */
  readonly output: Output;
  /** The environment (`REDIS_URL`). */
  readonly env: NodeJS.ProcessEnv;
}

/** A `lapse` command: its help, its arguments, and what it does. */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** The word after `lapse`. */
  readonly name: string;
  /** One line for `lapse --help`. */
  readonly summary: string;
  /** A paragraph for `lapse <name> --help`. */
  readonly description: string;
  /** The command's own options (the common ones are added). */
  readonly options: O;
  /** Its positional arguments, in order. */
  readonly positionals: readonly PositionalSpec[];
  /** Examples for the help; at least one. */
  readonly examples: readonly Example[];
  /** How `--redis` defaults for this command, for the help. */
  readonly redisDefault?: string;
  /** The namespace when `--namespace` is absent. */
  readonly namespaceDefault?: string;
  /** Runs the command; resolves with the exit code. Throws {@link CliError} for one-line failures. */
  run(input: CommandInput<O>): Promise<ExitCode>;
}

/** Declares a command, keeping the precise type of its options for `run`. */
export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}
