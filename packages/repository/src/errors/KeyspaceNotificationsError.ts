import { LapseError } from './LapseError.js';

/**
 * Redis does not publish the keyspace events lapse needs (`notify-keyspace-events` must
 * hold `E`, `g` and `x`), and lapse was not allowed or not asked to turn them on.
 */
export class KeyspaceNotificationsError extends LapseError {
  /** The setting as read from Redis, or `null` when `CONFIG GET` is not allowed. */
  readonly current: string | null;

  constructor(message: string, current: string | null, options?: { cause?: unknown }) {
    super('ERR_LAPSE_KEYSPACE_NOTIFICATIONS', message, options);
    this.current = current;
  }
}
