import { UsageError } from '../cli/UsageError.js';

/** A positive whole number given to `option`; throws {@link UsageError} otherwise. */
export function parseCount(text: string, option: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${option} takes a whole number of at least 1, got ${JSON.stringify(text)}`);
  }
  return value;
}
