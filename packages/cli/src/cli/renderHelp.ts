import type { CommandSpec, OptionSpec, OptionSpecs } from './CommandSpec.js';
import { CLIENT_LIBRARIES, DEFAULT_CLIENT } from '../redis/openClient.js';
import { commonOptions } from './commonOptions.js';

/** The exit codes, as every help page states them. */
export const EXIT_CODES_HELP = 'Exit codes: 0 ok, 1 problems found or the command failed, 2 usage error.';

function optionLabel(name: string, spec: OptionSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
  return spec.short === undefined ? `    ${long}` : `-${spec.short}, ${long}`;
}

/** The synopsis line: `lapse ls [--principal NAME] [--json] [options]`. */
export function synopsis(command: CommandSpec<OptionSpecs>): string {
  const words = [`lapse ${command.name}`];
  for (const positional of command.positionals) {
    const name = positional.variadic === true ? `${positional.name}...` : positional.name;
    words.push(positional.required ? name : `[${name}]`);
  }
  for (const [name, spec] of Object.entries(command.options)) {
    words.push(`[--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}]`);
  }
  words.push('[--redis URL] [--client LIB] [--namespace NS]');
  return words.join(' ');
}

/** The full `--help` text of a command. */
export function renderCommandHelp(command: CommandSpec<OptionSpecs>): string {
  const options = Object.entries({ ...command.options, ...commonOptions(command) });
  const width = Math.max(...options.map(([name, spec]) => optionLabel(name, spec).length)) + 3;
  const lines = [`Usage: ${synopsis(command)}`, '', command.description, '', 'Options:'];
  for (const [name, spec] of options) lines.push(`  ${optionLabel(name, spec).padEnd(width)}${spec.description}`);
  lines.push('', 'Examples:');
  for (const example of command.examples) lines.push(`  ${example.command}`, `      ${example.what}`);
  lines.push('', EXIT_CODES_HELP);
  return lines.join('\n');
}

/** The `lapse --help` text: every command with its summary. */
export function renderMainHelp(commands: readonly CommandSpec<OptionSpecs>[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return [
    'Usage: lapse <command> [options]',
    '',
    'Look inside, and watch, the web sessions lapse (or Spring Session) keeps in Redis.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Every command takes --redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379),',
    `--client ${CLIENT_LIBRARIES.join('|')} (the client library lapse connects with; default: ${DEFAULT_CLIENT}),`,
    '--namespace NS (default: spring:session) and --help.',
    '',
    'Examples:',
    '  lapse demo',
    '      start a throwaway Redis and watch sessions being created, deleted and expiring',
    '  lapse doctor --redis redis://cache.internal:6379',
    '      check that a Redis has everything lapse needs',
    '  lapse watch --json | jq .',
    '      stream session events as JSON lines',
    '',
    "Run 'lapse <command> --help' for a command's options.",
    EXIT_CODES_HELP,
  ].join('\n');
}
