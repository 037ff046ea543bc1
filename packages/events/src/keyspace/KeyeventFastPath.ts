import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Cluster, Redis } from 'ioredis';
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
   * Subscribes to both keyevent channels: on `subscriber` (single Redis), or on every master
   * of the repository's Cluster. `resubscribe`: whether to subscribe again after each
   * reconnect (a connection the listener opened, with the client's own resubscribe off).
   */
  async start(subscriber: Redis | Cluster, resubscribe: boolean): Promise<void> {
    const { keyspace, redis } = this.#repository;
    const channels = [keyspace.channels.expiredChannel, keyspace.channels.deletedChannel];
    if (keyspace.clustered) {
      this.#masters = new MasterSubscribers(redis as Cluster, channels, this.#onKeyevent, this.#onReconnect);
      await this.#masters.start();
      return;
    }
    const single = subscriber as Redis;
    let connections = single.status === 'ready' ? 1 : 0;
    single.on('ready', () => {
      connections += 1;
      if (connections > 1) this.#onReconnect();
    });
    single.on('message', this.#onKeyevent);
    await single.subscribe(...channels);
    if (resubscribe) {
      // ioredis's own resubscribe leaves a rejected promise unhandled when the connection drops
      // again meanwhile; our connection has it off and subscribes again here instead.
      single.on('ready', () => void single.subscribe(...channels).catch(() => undefined));
    }
  }

  /** A probe of the server the fast path listens to (a single Redis), using its subscription. */
  probeTarget(): ProbeTarget {
    const redis = this.#repository.redis;
    return {
      send: (name, args) => redis.call(name, ...args),
      listen: (onKeyevent) => {
        this.#taps.add(onKeyevent);
        return Promise.resolve(() => void this.#taps.delete(onKeyevent));
      },
    };
  }

  /** Unsubscribes (closing a Cluster's master subscribers) and waits for the claims under way. */
  async close(): Promise<void> {
    this.#masters?.close();
    this.#masters = null;
    this.#taps.clear();
    await Promise.allSettled([...this.#inFlight]);
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
    ensureKeyspaceNotifications(this.#repository.redis, true).catch((error: unknown) => this.#report(error));
  };
}
