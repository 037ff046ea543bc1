/**
 * Which attributes a save writes (Spring's `SaveMode`).
 * - `'on-set-attribute'`: only attributes set or removed since the last save (default).
 * - `'on-get-attribute'`: also every non-null attribute that was read.
 * - `'always'`: every attribute, on every save (last writer wins for the whole session).
 */
export type SaveMode = 'on-set-attribute' | 'on-get-attribute' | 'always';

/**
 * When changes reach Redis (Spring's `FlushMode`).
 * - `'on-save'`: when `save(session)` is called (default).
 * - `'immediate'`: `createSession` and every change write at once; `save` then waits for
 *   those writes and reports their first failure.
 */
export type FlushMode = 'on-save' | 'immediate';
