import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import { reservedSessionIdReason } from '../keys/reservedSessionIds.js';
import type { SessionIdGenerator } from './SessionIdGenerator.js';

/** The id for a new session: the caller's, if it is valid for the generator and names no other key of the layout, else a generated one. */
export function newSessionId(generator: SessionIdGenerator, requested: string | undefined): string {
  if (requested === undefined) return generator.generate();
  if (!generator.isValid(requested)) {
    throw new InvalidArgumentError('id', `${JSON.stringify(requested.slice(0, 80))} is not a valid session id for this repository's sessionIdGenerator`);
  }
  const reserved = reservedSessionIdReason(requested);
  if (reserved !== null) throw new InvalidArgumentError('id', `${JSON.stringify(requested.slice(0, 80))} cannot be a session id: it ${reserved}`);
  return requested;
}
