import { randomBytes } from 'node:crypto';

/** The three small attributes every benchmarked session holds (the same for every peer). */
export type Attributes = {
  readonly user: string;
  readonly csrf: string;
  readonly locale: string;
};

export function attributesFor(i: number): Attributes {
  return {
    user: `user-${String(i % 1_000_000).padStart(6, '0')}`,
    csrf: randomBytes(16).toString('hex'),
    locale: 'en-US',
  };
}

/** Spring's hash-data grace (the hash outlives the shadow key by 5 minutes), written out for the floors: no lapse code. */
export const HASH_GRACE_MS = 300_000;

/** The default timeout of benchmarked sessions: 30 minutes, everyone's default. */
export const TIMEOUT_SECONDS = 1800;

/** What express-session stores next to the attributes (`req.session.cookie`, maxAge 30 min). */
export function expressCookie(now: number): Record<string, unknown> {
  return { originalMaxAge: TIMEOUT_SECONDS * 1000, expires: new Date(now + TIMEOUT_SECONDS * 1000).toISOString(), httpOnly: true, path: '/' };
}

/** Runs `task(i)` for i in [0, n) with at most `window` in flight; `onProgress(done)` now and then. */
export async function inParallel(n: number, window: number, task: (i: number) => Promise<unknown>, onProgress?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await task(i);
      done += 1;
      if (onProgress !== undefined && done % 5000 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, n) }, worker));
  onProgress?.(done);
}
