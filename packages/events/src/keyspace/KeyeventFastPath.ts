import type { RedisIndexedSessionRepository, RedisSubscriber } from '@lapse/repository';
import { ensureKeyspaceNotifications } from './ensureKeyspaceNotifications.js';
import { MasterSubscribers } from './MasterSubscribers.js';
import type { ProbeTarget } from './probeKeyspaceEvents.js';

/**
 * The fast path: `__keyevent@<db>__:expired` / `:del` of a session's shadow key makes the
 * listener record the session's end at once (`claimDestroyedSession`); the event itself
 * arrives through the stream, so a lost message only delays it until the cleanup sweep.
 * Keyspace events are node-local: on a Cluster one subscriber per master follows the
 * topology. A restarted Redis has lost a runtime `CONFIG SET` (Spring #1030), so the setting
 * is applied again after every reconnect (when the listener may configure it).
 */
export class KeyeventFastPath {
  readonly #repository: RedisIndexedSessionRepository;
  readonly #configure: boolean;
  readonly #report: (error: unknown) => void;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #taps = new Set<(channel: string, key: string) => void>();
  #masters: MasterSubscribers | null = null;

  constructor(repository: RedisIndexedSessionRepository, configure: boolean, report: (error: unknown) => void) {
    this.#repository = repository;
    this.#configure = configure;
    this.#report = report;
  }

  /**
   * Subscribes to both keyevent channels: on `subscriber` (a single Redis), or on every master
   * of the repository's Cluster (then `subscriber` is not used).
   */
  async start(subscriber: RedisSubscriber): Promise<void> {
    const { keyspace, connection } = this.#repository;
    const channels = [keyspace.channels.expiredChannel, keyspace.channels.deletedChannel];
    if (keyspace.clustered) {
      this.#masters = new MasterSubscribers(connection, channels, this.#onKeyevent, this.#onReconnect);
      await this.#masters.start();
      return;
    }
    subscriber.onReconnect(this.#onReconnect);
    await subscriber.subscribe(channels, this.#onKeyevent);
  }

  /** A probe of the server(s) the fast path listens to, using its own subscriptions. */
  probeTarget(): ProbeTarget {
    const connection = this.#repository.connection;
    return {
      send: (name, args) => connection.send(name, args, typeof args[0] === 'string' ? args[0] : undefined),
      listen: (onKeyevent) => {
        this.#taps.add(onKeyevent);
        return Promise.resolve(() => void this.#taps.delete(onKeyevent));
      },
    };
  }

  /** Stops listening (closing a Cluster's master subscribers) and waits for the claims under way. */
  async close(): Promise<void> {
    const masters = this.#masters;
    this.#masters = null;
    this.#taps.clear();
    await Promise.all([masters?.close(), Promise.allSettled([...this.#inFlight])]);
  }

  readonly #onKeyevent = (channel: string, key: string): void => {
    for (const tap of this.#taps) tap(channel, key);
    const repository = this.#repository;
    const { channels } = repository.keyspace;
    const type = channel === channels.expiredChannel ? 'expired' : channel === channels.deletedChannel ? 'deleted' : null;
    const sessionId = repository.keyspace.sessionIdOfShadowKey(key);
    if (type === null || sessionId === null || !repository.isValidSessionId(sessionId)) return;
    const work = repository.claimDestroyedSession(sessionId, type).then(
      () => undefined,
      (error: unknown) => this.#report(error),
    );
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  };

  readonly #onReconnect = (): void => {
    if (!this.#configure) return;
    ensureKeyspaceNotifications(this.#repository.connection, true).catch((error: unknown) => this.#report(error));
  };
}
