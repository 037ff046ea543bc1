/**
 * The `reason` a {@link LapseStore} gives each deletion, delivered on the listener's `deleted`
 * event (`event.reason`) and on a watch signal's `SessionEndedError.deletionReason`, so a
 * listener can tell a logout from a login that only replaced the session id.
 */
export const DeletionReason = Object.freeze({
  /** `req.session.destroy()` (logout), `unset: 'destroy'`, or `store.destroy(sid)`. */
  destroy: 'destroy',
  /** `req.session.regenerate()`: the old id of a session that lives on under a new id (passport's login). */
  regenerate: 'regenerate',
  /** `store.clear()`. */
  clear: 'clear',
  /** A `set` or `touch` whose cookie had already expired (connect-redis deletes those too). */
  cookieExpired: 'cookie-expired',
} as const);

/** One of the {@link DeletionReason} values. */
export type DeletionReason = (typeof DeletionReason)[keyof typeof DeletionReason];
