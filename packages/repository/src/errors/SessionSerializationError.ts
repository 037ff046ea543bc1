import { LapseError } from './LapseError.js';

/**
 * A session value could not be serialized for Redis (a `BigInt`, a cycle, a function, …).
 * It is thrown by `save` before anything is sent to Redis, so the stored session is unchanged.
 */
export class SessionSerializationError extends LapseError {
  readonly sessionId: string;
  /** The attribute (or metadata field) whose value failed. */
  readonly attributeName: string;

  constructor(sessionId: string, attributeName: string, cause: unknown) {
    super(
      'ERR_LAPSE_SERIALIZATION',
      `session ${sessionId}: attribute "${attributeName}" cannot be serialized: ${describe(cause)}`,
      { cause },
    );
    this.sessionId = sessionId;
    this.attributeName = attributeName;
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
