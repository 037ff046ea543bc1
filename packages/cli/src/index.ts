/**
 * `@lapse/cli`: the `lapse` command line. Use the binary (`lapse --help`); the exports are for
 * running it in-process and for its exit codes.
 * @packageDocumentation
 */
export { runCli, cliVersion } from './runCli.js';
export type { CliEnvironment } from './runCli.js';
export { ExitCode } from './cli/ExitCode.js';
export { Output } from './cli/Output.js';
export type { Style, TextStream } from './cli/Output.js';
export { CliError } from './cli/CliError.js';
export { UsageError } from './cli/UsageError.js';
export { COMMANDS } from './commands/index.js';
export type { CommandSpec, CommandInput, CommonValues, Example, OptionSpec, OptionSpecs, OptionValues, PositionalSpec } from './cli/CommandSpec.js';
