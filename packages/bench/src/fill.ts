import type { RedisIndexedSessionRepository } from '@lapse/repository';
import { saveNewSession } from './peers/lapse.js';

export interface FillSpec {
  readonly count: number;
  /** Timeout of session i, in seconds. */
  interval(i: number): number;
  attributes(i: number): Readonly<Record<string, unknown>>;
}

/** Saves in flight at once: enough to keep Redis busy between round trips (one EVALSHA each). */
const WINDOW = 1000;
/** `onProgress` is called every this many sessions saved, and at the end. */
const PROGRESS_STEP = 1000;

/**
 * Fills Redis with `spec.count` new sessions through the repository's own write path
 * (`repository.save`: one EVALSHA of its save script each), {@link WINDOW} saves in flight at
 * once so the round trips overlap (on an ioredis connection with `enableAutoPipelining`, they
 * also share socket writes). Resolves the ids in the order of `i`.
 */
export async function fillSessions(repository: RedisIndexedSessionRepository, spec: FillSpec, onProgress?: (done: number) => void): Promise<string[]> {
  const ids = new Array<string>(spec.count);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < spec.count) {
      const i = next++;
      ids[i] = await saveNewSession(repository, i, spec.interval(i), spec.attributes(i));
      done += 1;
      if (done % PROGRESS_STEP === 0 && done < spec.count) onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WINDOW, spec.count) }, worker));
  onProgress?.(done);
  return ids;
}
