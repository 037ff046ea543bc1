import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import type { SessionIdGenerator } from './SessionIdGenerator.js';

/** The id for a new session: the caller's, if it is valid for the generator, else a generated one. */
export function newSessionId(generator: SessionIdGenerator, requested: string | undefined): string {
  if (requested === undefined) return generator.generate();
  if (!generator.isValid(requested)) {
    throw new InvalidArgumentError('id', `${JSON.stringify(requested.slice(0, 80))} is not a valid session id for this repository's sessionIdGenerator`);
  }
  return requested;
}
