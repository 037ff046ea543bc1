import { LapseError } from './LapseError.js';

/**
 * What Redis holds under a session key is not a session lapse can read: a required field
 * is missing (for instance a hash holding only delta fields, Spring's
 * "creationTime key must not be null"), a value is not valid for the serializer, or the key
 * has the wrong type. Nothing is modified when this is thrown.
 */
export class CorruptSessionDataError extends LapseError {
  readonly sessionId: string;
  /** The Redis key that holds the bad data. */
  readonly key: string;

  constructor(sessionId: string, key: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_LAPSE_CORRUPT_SESSION', `session ${sessionId} (${key}): ${detail}`, options);
    this.sessionId = sessionId;
    this.key = key;
  }
}
