import { CliError } from './CliError.js';
import { ExitCode } from './ExitCode.js';

/** The command line is wrong: reported in one line with a pointer to `--help`, exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.Usage });
    this.name = 'UsageError';
  }
}
