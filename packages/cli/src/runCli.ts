import { readFileSync } from 'node:fs';
import { LapseError } from '@lapse/repository';
import { CliError } from './cli/CliError.js';
import type { CommandSpec, OptionSpecs } from './cli/CommandSpec.js';
import { ExitCode } from './cli/ExitCode.js';
import { Output } from './cli/Output.js';
import { limitQuotedArguments } from './cli/limitQuotedArguments.js';
import { parseCommandArgs } from './cli/parseCommandArgs.js';
import { renderCommandHelp, renderMainHelp } from './cli/renderHelp.js';
import { UsageError } from './cli/UsageError.js';
import { COMMANDS } from './commands/index.js';

/** Where {@link runCli} writes and what it reads. */
export interface CliEnvironment {
  /** Default: stdout and stderr of the process. */
  readonly output?: Output;
  /** Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options that may come before the command name, and whether they take a value. */
const LEADING_OPTIONS: Readonly<Record<string, boolean>> = { '--redis': true, '--client': true, '--namespace': true };

/** The package version, from package.json. */
export function cliVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
}

/** The first line of an error's message, for the one-line report. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim() !== '') ?? message).trim();
}

/** What to add to an unexpected error's line so the user knows where to go next. */
function hintFor(error: unknown, message: string): string {
  if (error instanceof LapseError) {
    // lapse's own messages already say what to do; a Redis command that failed may be a permission.
    if (error.code === 'ERR_LAPSE_KEYSPACE_NOTIFICATIONS') return " ('lapse doctor' checks everything lapse needs)";
    if (!/NOPERM/.test(message)) return '';
  }
  if (/NOPERM/.test(message)) return ": the Redis user lacks a permission; 'lapse doctor' lists what lapse needs";
  if (/CROSSSLOT|MOVED|ASK /.test(message)) return ": this looks like a Redis Cluster that moved keys meanwhile; try again ('lapse doctor' checks the cluster)";
  if (/Connection is closed|The client is closed|ECONNRESET|ETIMEDOUT|timed? ?out/i.test(message)) return ': the connection to Redis was lost; check that it is up and try again';
  return " (set LAPSE_DEBUG=1 for the stack trace)";
}

/**
 * Splits `argv` into the command name and its arguments. Options before the command
 * (`lapse --redis URL ls`) are moved after it; `--help` and `--version` work without one.
 */
function splitCommand(argv: readonly string[]): { name: string | null; rest: string[]; words: string[]; help: boolean; version: boolean } {
  const leading: string[] = [];
  let help = false;
  let version = false;
  let i = 0;
  for (; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (!word.startsWith('-')) break;
    if (word === '--help' || word === '-h') help = true;
    else if (word === '--version' || word === '-v') version = true;
    else if (LEADING_OPTIONS[word] === true) {
      if (argv[i + 1] === undefined) throw new UsageError(`option ${word} needs a value`);
      leading.push(word, argv[i + 1] ?? '');
      i += 1;
    } else if (LEADING_OPTIONS[word.split('=')[0] ?? ''] === true) leading.push(word);
    else throw new UsageError(`unknown option ${word} before the command`);
  }
  const name = argv[i] ?? null;
  // Leading options go first, so that the command's own words keep their order and end the line.
  const words = argv.slice(i + 1);
  return { name, rest: [...leading, ...words, ...(help && name !== null ? ['--help'] : [])], words, help, version };
}

async function runCommand(command: CommandSpec<OptionSpecs>, argv: readonly string[], output: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCommandArgs(command, argv);
  if (parsed.help) {
    output.line(renderCommandHelp(command));
    return ExitCode.Ok;
  }
  return command.run({ values: parsed.values, positionals: parsed.positionals, output, env });
}

/**
 * Runs `lapse` with the words after the program name and resolves with the exit code
 * (see {@link ExitCode}). Every failure is reported on stderr in one line,
 * `lapse <command>: <what happened>: <what to do>`; it never throws.
 */
export async function runCli(argv: readonly string[], environment: CliEnvironment = {}): Promise<number> {
  const output = environment.output ?? new Output();
  const env = environment.env ?? process.env;
  let prefix = 'lapse';
  let usageHint = "run 'lapse --help'";
  try {
    const { name, rest, words, help, version } = splitCommand(argv);
    if (version) {
      output.line(cliVersion());
      return ExitCode.Ok;
    }
    if (name === null || name === 'help') {
      const topic = name === 'help' ? words[0] : undefined;
      const command = COMMANDS.find((c) => c.name === topic);
      if (topic !== undefined && command === undefined) throw new UsageError(`unknown command '${topic}'`);
      if (name === null && !help) {
        output.note(renderMainHelp(COMMANDS));
        return ExitCode.Usage;
      }
      output.line(command === undefined ? renderMainHelp(COMMANDS) : renderCommandHelp(command));
      return ExitCode.Ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command '${name}'; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
    prefix = `lapse ${command.name}`;
    usageHint = `run 'lapse ${command.name} --help'`;
    return await runCommand(command, rest, output, env);
  } catch (error) {
    output.clearStatus();
    // An error line quotes at most the first 80 characters of an argument.
    const limit = (text: string): string => limitQuotedArguments(text, argv);
    if (error instanceof UsageError) {
      output.note(`${output.paintError('red', `${prefix}:`)} ${limit(error.message)} (${usageHint})`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      output.note(`${output.paintError('red', `${prefix}:`)} ${limit(error.message)}`);
      return error.exitCode;
    }
    const message = limit(oneLine(error));
    output.note(`${output.paintError('red', `${prefix}:`)} ${message}${hintFor(error, message)}`);
    if (env['LAPSE_DEBUG'] !== undefined && error instanceof Error && error.stack !== undefined) output.note(error.stack);
    return ExitCode.Problems;
  }
}
