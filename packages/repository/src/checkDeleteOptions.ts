import { InvalidArgumentError } from './errors/InvalidArgumentError.js';
import { checkOptions, type OptionRules } from './options/checkOptions.js';
import type { DeleteOptions } from './SessionRepository.js';

/** The longest deletion reason accepted. */
export const MAX_DELETION_REASON_LENGTH = 200;

/** The options of `deleteById` and `deleteByPrincipalName`; the reason's length is checked below. */
const DELETE_OPTION_RULES = Object.freeze({ reason: (): void => undefined } satisfies OptionRules<keyof DeleteOptions>);

/**
 * The reason of a deletion as stored (`''` for none); rejects options it does not know and a
 * reason that is not a short string.
 */
export function checkDeleteOptions(options: DeleteOptions | undefined): string {
  checkOptions(options, DELETE_OPTION_RULES, { owner: 'a deletion' });
  const reason = options?.reason;
  if (reason === undefined) return '';
  if (typeof reason !== 'string' || reason.length === 0 || reason.length > MAX_DELETION_REASON_LENGTH) {
    throw new InvalidArgumentError('reason', `must be a string of 1 to ${MAX_DELETION_REASON_LENGTH} characters`);
  }
  return reason;
}
