import { expect } from 'vitest';
import { InvalidArgumentError } from '../../src/index.js';

/** The InvalidArgumentError `act` throws, checked to name `argument`. */
export function refusal(act: () => unknown, argument: string): InvalidArgumentError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    return error as InvalidArgumentError;
  }
  throw new Error(`nothing was thrown; expected an InvalidArgumentError naming ${argument}`);
}
