import type { SessionKeyspace } from '../../keys/SessionKeyspace.js';
import type { RedisConnection, RedisSubscriber } from '../../redis/clients/RedisConnection.js';
import { ensureKeyspaceNotifications } from './ensureKeyspaceNotifications.js';
import { MasterSubscribers } from './MasterSubscribers.js';
import { type ProbeTarget, requireKeyspaceEvents } from './probeKeyspaceEvents.js';

/** What the fast path needs of the repository's session ends. */
export interface FastPathSource {
  readonly connection: RedisConnection;
  readonly keyspace: SessionKeyspace;
  /** Records the end of session `id` if its shadow key is gone and nobody has (see `SessionEnds.recordEnd`). */
  recordEnd(id: string, type: 'deleted' | 'expired'): Promise<boolean>;
}

/**
 * The fast path: `__keyevent@<db>__:expired` / `:del` of a session's shadow key makes the
 * listener record the session's end at once (`SessionEnds.recordEnd`); the event itself
 * arrives through the stream, so a lost message only delays it until the cleanup sweep.
 * Keyspace events are node-local: on a Cluster one subscriber per master follows the
 * topology. A restarted Redis has lost a runtime `CONFIG SET` (Spring #1030), so the setting
 * is applied again after every reconnect (when the listener may configure it).
 */
export class KeyeventFastPath {
  readonly #source: FastPathSource;
  readonly #configure: boolean;
  readonly #report: (error: unknown) => void;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #taps = new Set<(channel: string, key: string) => void>();
  #masters: MasterSubscribers | null = null;

  constructor(source: FastPathSource, configure: boolean, report: (error: unknown) => void) {
    this.#source = source;
    this.#configure = configure;
    this.#report = report;
  }

  /**
   * Subscribes to both keyevent channels: on `subscriber` (a single Redis), or on every master
   * of the repository's Cluster (then `subscriber` is not used).
   */
  async start(subscriber: RedisSubscriber): Promise<void> {
    const { keyspace, connection } = this.#source;
    const channels = [keyspace.channels.expiredChannel, keyspace.channels.deletedChannel];
    if (keyspace.clustered) {
      this.#masters = new MasterSubscribers(connection, channels, this.#onKeyevent, this.#onReconnect);
      await this.#masters.start();
      return;
    }
    subscriber.onReconnect(this.#onReconnect);
    await subscriber.subscribe(channels, this.#onKeyevent);
  }

  /**
   * Where `CONFIG` is forbidden: proves that `del` and `expired` keyevents arrive, with a
   * short-lived key heard on the fast path's own subscriptions; rejects with
   * `KeyspaceNotificationsError` when one did not arrive within `timeoutMs`.
   */
  requireKeyspaceEvents(timeoutMs: number): Promise<void> {
    return requireKeyspaceEvents(this.#probeTarget(), this.#source.keyspace.channels, timeoutMs);
  }

  /** A probe of the server(s) the fast path listens to, using its own subscriptions. */
  #probeTarget(): ProbeTarget {
    const connection = this.#source.connection;
    return {
      send: (name, args) => connection.send(name, args, typeof args[0] === 'string' ? args[0] : undefined),
      listen: (onKeyevent) => {
        this.#taps.add(onKeyevent);
        return Promise.resolve(() => void this.#taps.delete(onKeyevent));
      },
    };
  }

  /** Stops listening (closing a Cluster's master subscribers) and waits for the ends being recorded. */
  async close(): Promise<void> {
    const masters = this.#masters;
    this.#masters = null;
    this.#taps.clear();
    await Promise.all([masters?.close(), Promise.allSettled([...this.#inFlight])]);
  }

  readonly #onKeyevent = (channel: string, key: string): void => {
    for (const tap of this.#taps) tap(channel, key);
    const { keyspace } = this.#source;
    const { channels } = keyspace;
    const type = channel === channels.expiredChannel ? 'expired' : channel === channels.deletedChannel ? 'deleted' : null;
    const sessionId = keyspace.sessionIdOfShadowKey(key);
    if (type === null || sessionId === null) return;
    // recordEnd ignores an id the repository would not accept.
    const work = this.#source.recordEnd(sessionId, type).then(
      () => undefined,
      (error: unknown) => this.#report(error),
    );
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  };

  readonly #onReconnect = (): void => {
    if (!this.#configure) return;
    ensureKeyspaceNotifications(this.#source.connection, true).catch((error: unknown) => this.#report(error));
  };
}
