import { refusal as expectRefusal } from '@lapse/redis-harness/vitest';
import { InvalidArgumentError } from '../../src/index.js';

/** The InvalidArgumentError (of this package's sources) `act` throws, checked to name `argument`. */
export function refusal(act: () => unknown, argument: string): InvalidArgumentError {
  return expectRefusal(InvalidArgumentError, act, argument);
}
