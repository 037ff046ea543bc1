/**
 * Base class of every error lapse throws. `code` is stable and meant for programs;
 * `message` is meant for people.
 */
export class LapseError extends Error {
  /** A stable, machine-readable error code such as `ERR_LAPSE_CORRUPT_SESSION`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
