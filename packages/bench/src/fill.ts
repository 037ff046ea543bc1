import type { RedisIndexedSessionRepository } from '@lapse/repository';
import { saveNewSession } from './peers/lapse.js';
import { inParallel } from './session-data.js';

export interface FillSpec {
  readonly count: number;
  /** Timeout of session i, in seconds. */
  interval(i: number): number;
  attributes(i: number): Readonly<Record<string, unknown>>;
}

/**
 * Fills Redis with `spec.count` new sessions through the repository's own write path
 * (`repository.save`: one EVALSHA of its save script each), 1000 saves in flight at once so the
 * round trips overlap (on an ioredis connection with `enableAutoPipelining`, they also share
 * socket writes). Resolves the ids in the order of `i`; `onProgress(done)` now and then.
 */
export async function fillSessions(repository: RedisIndexedSessionRepository, spec: FillSpec, onProgress?: (done: number) => void): Promise<string[]> {
  const ids = new Array<string>(spec.count);
  await inParallel(
    spec.count,
    1000,
    async (i) => {
      ids[i] = await saveNewSession(repository, i, spec.interval(i), spec.attributes(i));
    },
    onProgress,
  );
  return ids;
}
