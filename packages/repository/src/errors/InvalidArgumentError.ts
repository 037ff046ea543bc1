import { LapseError } from './LapseError.js';

/** A caller passed an option or argument lapse cannot use (bad cron expression, empty namespace, …). */
export class InvalidArgumentError extends LapseError {
  /** The option or argument that was rejected. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super('ERR_LAPSE_INVALID_ARGUMENT', `${argument}: ${message}`);
    this.argument = argument;
  }
}
