import { LapseError } from '@lapse/repository';

/** A Node-style callback, as express-session and @fastify/session pass to store methods. */
export type StoreCallback<T> = (error: Error | null, value?: T) => void;

/**
 * The connect-redis 8.1+ calling convention: without a callback, the promise of `work`;
 * with one, the outcome goes to the callback (`callback(error)` or `callback(null, value)`)
 * and the returned promise only says when that happened (it never rejects, so a caller that
 * ignores it gets no unhandled rejection).
 */
export function settle<T>(work: Promise<T>, callback: StoreCallback<T> | undefined): Promise<T | void> {
  if (callback === undefined) return work;
  return work.then(
    (value) => {
      callback(null, value);
    },
    (error: unknown) => {
      callback(error instanceof Error ? error : new LapseError('ERR_LAPSE_STORE', String(error)));
    },
  );
}
