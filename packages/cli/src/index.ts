/**
 * `@lapse/cli`: the `lapse` command line. Use the binary (`lapse --help`); the exports are for
 * running it in-process ({@link runCli}, writing to an {@link Output}) and for its exit codes.
 * @packageDocumentation
 */
export { runCli } from './runCli.js';
export type { CliEnvironment } from './runCli.js';
export { ExitCode } from './cli/ExitCode.js';
export { Output } from './cli/Output.js';
export type { Style, TextStream } from './cli/Output.js';
