import { withRequiredKeyspaceFlags } from '@lapse/events';
import { isForbidden } from '../redis/isForbidden.js';

/** What Redis's `notify-keyspace-events` holds, as far as lapse is concerned. */
export interface KeyspaceEventsState {
  /** The setting, or `null` when `CONFIG GET` is not allowed. */
  readonly value: string | null;
  /** The flags lapse needs that it lacks, of `E`, `g`, `x` (`A` stands for `g` and `x`). */
  readonly missing: readonly string[];
  /** The value lapse would set (the current one plus what is missing). */
  readonly wanted: string | null;
}

/** The flags of `E`, `g`, `x` that `value` lacks. */
export function missingKeyspaceFlags(value: string): string[] {
  const missing: string[] = [];
  if (!value.includes('E')) missing.push('E');
  if (!value.includes('A') && !value.includes('g')) missing.push('g');
  if (!value.includes('A') && !value.includes('x')) missing.push('x');
  return missing;
}

/** Reads `notify-keyspace-events` through `config` (a connection's `CONFIG GET`). */
export async function readKeyspaceEvents(config: (name: string) => Promise<unknown>): Promise<KeyspaceEventsState> {
  let value: string;
  try {
    const reply = (await config('notify-keyspace-events')) as string[];
    value = reply[1] ?? '';
  } catch (error) {
    if (isForbidden(error)) return { value: null, missing: [], wanted: null };
    throw error;
  }
  return { value, missing: missingKeyspaceFlags(value), wanted: withRequiredKeyspaceFlags(value) };
}
