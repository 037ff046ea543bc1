import { InvalidArgumentError } from '@lapse/repository';
import { expiresAtOf } from '@lapse/repository/internal';
import type { SessionLifetime } from './SessionCodec.js';
import type { StoredSession } from './StoredSession.js';

/** The `touchAfter` option checked (seconds, default 0): a finite number ≥ 0. */
export function resolveTouchAfter(option: unknown): number {
  if (option === undefined) return 0;
  if (typeof option !== 'number' || !Number.isFinite(option) || option < 0) {
    throw new InvalidArgumentError('touchAfter', `must be a finite number of seconds >= 0, got ${String(option)}`);
  }
  return option;
}

/**
 * Whether a touch must write (connect-mongo's `touchAfter`): always with `touchAfterMs` 0;
 * otherwise only once the stored `lastAccessedTime` is `touchAfterMs` old, or when skipping
 * would not keep the stored expiry at most `touchAfterMs` before (and never after) the one the
 * touch gives. A skipped touch leaves the session ending up to `touchAfterMs` earlier than its
 * cookie says, never later.
 */
export function touchIsDue(stored: Pick<StoredSession, 'lastAccessedTime' | 'maxInactiveInterval'>, next: SessionLifetime, now: number, touchAfterMs: number): boolean {
  if (touchAfterMs <= 0 || now - stored.lastAccessedTime >= touchAfterMs) return true;
  const before = expiresAtOf(stored.lastAccessedTime, stored.maxInactiveInterval);
  const after = expiresAtOf(next.lastAccessedTime, next.maxInactiveInterval);
  if (before === null || after === null) return before !== after;
  return after < before || after - before >= touchAfterMs;
}
