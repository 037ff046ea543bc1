import { InvalidArgumentError } from './errors/InvalidArgumentError.js';
import type { DeleteOptions } from './SessionRepository.js';

/** The longest deletion reason accepted. */
export const MAX_DELETION_REASON_LENGTH = 200;

/** The reason of a deletion as stored (`''` for none); rejects a reason that is not a short string. */
export function checkDeleteOptions(options: DeleteOptions): string {
  const reason = options.reason;
  if (reason === undefined) return '';
  if (typeof reason !== 'string' || reason.length === 0 || reason.length > MAX_DELETION_REASON_LENGTH) {
    throw new InvalidArgumentError('reason', `must be a string of 1 to ${MAX_DELETION_REASON_LENGTH} characters`);
  }
  return reason;
}
