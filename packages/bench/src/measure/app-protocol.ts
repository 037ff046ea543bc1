/** Messages between the express-app bench and its server process (`app-server.js`). */

/**
 * The stores the express app runs with (all on node-redis 5.9): connect-redis, LapseStore (as
 * built by default, and with `touchAfter: 60`) and the floor of lapse's layout (`FloorStore`).
 */
export type AppPeer = 'connect-redis' | 'lapse-store' | 'lapse-store-lazy' | 'floor';

/** The `touchAfter` (seconds) of the `lapse-store-lazy` peer. */
export const LAZY_TOUCH_AFTER_SECONDS = 60;

export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'cpu'; micros: number }
  | { type: 'error'; message: string };

export type ServerRequest = { type: 'cpu' } | { type: 'stop' };
