import type { Redis } from 'ioredis';

/**
 * Who handles each session end.
 * - `'broadcast'`: every listener gets every event, as in Spring.
 * - `'once'`: among all listeners sharing a Redis and a `group`, each event goes to one of
 *   them, claimed atomically; if that one dies before its handlers finish, another gets the
 *   event after `leaseMs` (at least once always, exactly once when nobody crashes).
 */
export type DeliveryMode = 'broadcast' | 'once';

/** Every option of {@link SessionEventListener}, with its default. */
export interface SessionEventListenerOptions {
  /**
   * Whether `start()` may turn on the keyspace notifications lapse needs with `CONFIG SET`
   * (adding only the missing flags of `E`, `g`, `x`), and again after Redis restarts. Set
   * `false` for managed Redis that forbids `CONFIG`: `start()` then verifies the setting (or,
   * if `CONFIG GET` is forbidden too, probes with two short-lived keys) and fails with a clear
   * message if it is absent.
   * @defaultValue `true`
   */
  configureKeyspaceNotifications?: boolean;
  /**
   * Who handles each `deleted`/`expired` event. (`created` is always broadcast.)
   * @defaultValue `'broadcast'`
   */
  delivery?: DeliveryMode;
  /**
   * For `'broadcast'`: a stable name for this listener. A listener started again under the
   * same name gets the session ends it missed while away (within the stream's length), and
   * its consumer group is kept at `close()`. Without a name the listener gets events from
   * `start()` on, and its group is removed at `close()`.
   * @defaultValue none (a random, temporary name)
   */
  name?: string;
  /**
   * For `'once'`: the group of listeners among which each event is handled once.
   * @defaultValue `'lapse'`
   */
  group?: string;
  /**
   * For `'once'`: how long an event handed to a listener may stay unfinished before another
   * listener takes it over. Must be longer than your slowest handler.
   * @defaultValue `30000`
   */
  leaseMs?: number;
  /**
   * The connection to subscribe on. It must not be used for anything else.
   * @defaultValue a duplicate of the repository's client, closed by `close()`
   */
  subscriber?: Redis;
  /**
   * The connection for blocking stream reads. It must not be used for anything else.
   * @defaultValue a duplicate of the repository's client, closed by `close()`
   */
  reader?: Redis;
  /**
   * How long `start()` waits for the probe events when it has to probe, in ms.
   * @defaultValue `2000`
   */
  probeTimeoutMs?: number;
}
