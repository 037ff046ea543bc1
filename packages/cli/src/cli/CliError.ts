import { ExitCode } from './ExitCode.js';

/**
 * A failure reported to the user as one line, `lapse <command>: <message>`, that says what
 * happened and what to do about it. Exits with {@link ExitCode.Problems} unless a code is given.
 */
export class CliError extends Error {
  /** The process exit code. */
  readonly exitCode: ExitCode;

  constructor(message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.Problems;
  }
}
