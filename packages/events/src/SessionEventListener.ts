import { randomUUID } from 'node:crypto';
import {
  InvalidArgumentError,
  isLocalSessionEventSource,
  LapseError,
  type LocalSessionEventSource,
  type RedisIndexedSessionRepository,
  type SessionLifecycleEvent,
} from '@lapse/repository';
import { EventEmitter } from 'eventemitter3';
import type { Cluster, Redis } from 'ioredis';
import { KeyspaceNotificationsError } from './errors/KeyspaceNotificationsError.js';
import { SessionEndedError } from './errors/SessionEndedError.js';
import { ensureKeyspaceNotifications } from './keyspace/ensureKeyspaceNotifications.js';
import { MasterSubscribers } from './keyspace/MasterSubscribers.js';
import type { SessionDestroyedEvent, SessionEvent, SessionEventListenerEvents } from './SessionEvent.js';
import type { DeliveryMode, SessionEventListenerOptions } from './SessionEventListenerOptions.js';
import { EventStreamReader, type StreamEntry } from './stream/EventStreamReader.js';

type EventName = keyof SessionEventListenerEvents;

interface ResolvedOptions {
  readonly configureKeyspaceNotifications: boolean;
  readonly delivery: DeliveryMode;
  readonly name: string | undefined;
  readonly group: string;
  readonly leaseMs: number;
  readonly probeTimeoutMs: number;
  readonly subscriber: Redis | undefined;
  readonly reader: Redis | undefined;
}

function resolveOptions(options: SessionEventListenerOptions): ResolvedOptions {
  const delivery = options.delivery ?? 'broadcast';
  if (delivery !== 'broadcast' && delivery !== 'once') {
    throw new InvalidArgumentError('delivery', `must be 'broadcast' or 'once', got ${JSON.stringify(delivery)}`);
  }
  const leaseMs = options.leaseMs ?? 30_000;
  if (!Number.isInteger(leaseMs) || leaseMs <= 0) throw new InvalidArgumentError('leaseMs', 'must be a positive integer');
  for (const [name, value] of [['name', options.name], ['group', options.group]] as const) {
    if (value !== undefined && (typeof value !== 'string' || !/^[\w.:-]{1,100}$/.test(value))) {
      throw new InvalidArgumentError(name, 'must be 1 to 100 letters, digits or . _ : -');
    }
  }
  return {
    configureKeyspaceNotifications: options.configureKeyspaceNotifications ?? true,
    delivery,
    name: options.name,
    group: options.group ?? 'lapse',
    leaseMs,
    probeTimeoutMs: options.probeTimeoutMs ?? 2000,
    subscriber: options.subscriber,
    reader: options.reader,
  };
}

/**
 * Session events: `created`, `deleted`, `expired`, and `destroyed` after each of the last two,
 * each with `{ type, sessionId, session }` where `session` is the session's last stored state.
 *
 * Every session end is recorded once, atomically, in the stream `<ns>:session-events`, with
 * the session's data, by whoever sees it first: `deleteById`, the cleanup sweep, or a listener
 * woken by a keyspace notification (`__keyevent@<db>__:expired` / `:del`, the fast path).
 * Listeners read that stream through consumer groups, so an event is not lost when a
 * pub/sub message is, when the listener's connection drops or its process pauses, or when
 * Redis restarts with persistence. `created` comes from Spring's created channel
 * `<ns>:event:<db>:created:*`. Other namespaces and databases are ignored.
 *
 * A handler that throws, or whose promise rejects, is reported on `'error'` and does not keep
 * the event from other handlers or delay other events. With `delivery: 'once'` an event is
 * acknowledged when its handlers' promises settle.
 *
 * With a {@link MapSessionRepository} it delivers the repository's in-process events.
 *
 * @example
 * ```ts
 * const listener = new SessionEventListener(repository);
 * listener.on('expired', ({ sessionId, session }) => closeSockets(sessionId, session));
 * await listener.start();
 * ```
 */
export class SessionEventListener extends EventEmitter<SessionEventListenerEvents> {
  readonly #repository: RedisIndexedSessionRepository | LocalSessionEventSource;
  readonly #options: ResolvedOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #watches = new Map<string, Set<AbortController>>();
  readonly #probeWaiters = new Map<string, () => void>();
  readonly #ownedConnections: (Redis | Cluster)[] = [];
  #subscriber: Redis | Cluster | null = null;
  #masters: MasterSubscribers | null = null;
  #readers: EventStreamReader[] = [];
  /** Ids whose end was delivered lately: a failover can replay the last records of a stream. */
  readonly #recentlyEnded = new Set<string>();
  #removeLocalHandler: (() => void) | null = null;
  #started = false;

  constructor(repository: RedisIndexedSessionRepository | LocalSessionEventSource, options: SessionEventListenerOptions = {}) {
    super();
    this.#repository = repository;
    this.#options = resolveOptions(options);
  }

  /**
   * Subscribes and starts reading session ends. Resolves once events are flowing; rejects with
   * {@link KeyspaceNotificationsError} when Redis does not publish the events lapse needs.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const repository = this.#repository;
    if (isLocalSessionEventSource(repository)) {
      this.#removeLocalHandler = repository.addSessionEventHandler((event) => void this.#deliverLifecycle(event));
      return;
    }
    try {
      await this.#startRedis(repository);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * A signal aborted when the session is deleted or expires, for handing straight to
   * `addEventListener`, `fetch` or `stream.pipeline`. Its `reason` is a
   * {@link SessionEndedError} saying how. If the session is already gone when the watch begins
   * (checked with one lookup), the signal is aborted with `how: 'missing'`. Watches end with
   * the session, or earlier when `options.signal` aborts (pass the socket's own signal so a
   * short-lived connection on a long session leaves nothing behind); after `close()` a
   * signal never fires.
   *
   * @example
   * ```ts
   * const signal = listener.watch(sessionId, { signal: socketClosed });
   * signal.addEventListener('abort', () => socket.close(4001, 'session ended'));
   * ```
   */
  watch(sessionId: string, options: { signal?: AbortSignal } = {}): AbortSignal {
    const controller = new AbortController();
    let watchers = this.#watches.get(sessionId);
    if (watchers === undefined) {
      watchers = new Set();
      this.#watches.set(sessionId, watchers);
    }
    watchers.add(controller);
    options.signal?.addEventListener('abort', () => this.#unwatch(sessionId, controller), { once: true });
    const repository = this.#repository as Partial<{ findById(id: string): Promise<unknown> }>;
    if (typeof repository.findById === 'function') {
      repository.findById(sessionId).then(
        (found) => {
          if (found === null) this.#endWatches(sessionId, new SessionEndedError(sessionId, 'missing'), controller);
        },
        (error: unknown) => this.#report(error),
      );
    }
    return controller.signal;
  }

  /**
   * Stops: unsubscribes, stops reading, waits for the events being handled, and closes the
   * connections it opened. A temporary broadcast group is removed.
   */
  async close(): Promise<void> {
    this.#started = false;
    this.#removeLocalHandler?.();
    this.#removeLocalHandler = null;
    const subscriber = this.#subscriber;
    this.#subscriber = null;
    subscriber?.removeAllListeners('message');
    subscriber?.removeAllListeners('pmessage');
    this.#masters?.close();
    this.#masters = null;
    const readers = this.#readers.splice(0);
    for (const connection of this.#ownedConnections.splice(0)) connection.disconnect();
    await Promise.all(readers.map((reader) => reader.stop()));
    await Promise.allSettled([...this.#inFlight]); // fast-path claims: one script each
    if (this.#options.delivery === 'broadcast' && this.#options.name === undefined) {
      await Promise.all(readers.map((reader) => reader.destroyGroup().catch(() => undefined)));
    }
    this.#watches.clear();
  }

  async #startRedis(repository: RedisIndexedSessionRepository): Promise<void> {
    const { keyspace } = repository;
    // Until the listener is converted to the RedisConnection seam it needs an ioredis client.
    const redis = ioredisOf(repository);
    const channels = keyspace.channels;
    const status = await ensureKeyspaceNotifications(redis, this.#options.configureKeyspaceNotifications);
    const once = this.#options.delivery === 'once';
    const name = this.#options.name ?? randomUUID();
    const consumer = once ? `${process.pid}-${randomUUID().slice(0, 8)}` : name;
    // One stream per shard (one on a single Redis). A Cluster is polled: a blocked read there
    // would hold the node connection that the application's commands share.
    const blocking = keyspace.clustered ? null : (this.#connection('reader', repository) as Redis);
    for (const shard of keyspace.shards) {
      const reader = new EventStreamReader(redis, blocking, {
        stream: shard.eventStreamKey,
        group: once ? `once:${this.#options.group}` : `broadcast:${name}`,
        consumer,
        startAt: '$',
        batchSize: 100,
        leaseMs: once ? this.#options.leaseMs : null,
        handle: (entry) => this.#onStreamEntry(repository, entry),
        report: (error) => this.#report(error),
      });
      await reader.start();
      this.#readers.push(reader);
    }

    const onKeyevent = (channel: string, key: string): void => {
      const waiter = this.#probeWaiters.get(`${channel} ${key}`);
      if (waiter !== undefined) {
        waiter();
        return;
      }
      const type = channel === channels.expiredChannel ? 'expired' : channel === channels.deletedChannel ? 'deleted' : null;
      const sessionId = keyspace.sessionIdOfShadowKey(key);
      if (type === null || sessionId === null || !repository.isValidSessionId(sessionId)) return;
      // The fast path: record the end now; the event itself arrives through the stream.
      this.#track(repository.claimDestroyedSession(sessionId, type).catch((error: unknown) => this.#report(error)));
    };
    // A restarted Redis has lost a runtime CONFIG SET (Spring #1030): apply it again on every reconnect.
    let connections = 0;
    const onReady = (): void => {
      connections += 1;
      // (MasterSubscribers reports only reconnects; a single subscriber also reports its first connection.)
      if ((keyspace.clustered || connections > 1) && this.#options.configureKeyspaceNotifications) {
        ensureKeyspaceNotifications(redis, true).catch((error: unknown) => this.#report(error));
      }
    };

    const subscriber = this.#connection('subscriber', repository);
    this.#subscriber = subscriber;
    subscriber.on('error', () => {
      // ioredis reconnects by itself; what was missed meanwhile comes from the stream.
    });
    subscriber.on('pmessage', (_pattern: string, channel: string, body: string) => {
      const sessionId = channels.sessionIdOfCreatedChannel(channel);
      if (sessionId === null || !repository.isValidSessionId(sessionId)) return;
      try {
        const session = repository.sessionFromCreatedMessage(sessionId, body);
        void this.#deliver('created', { type: 'created', sessionId, session });
      } catch (error) {
        this.#report(error);
      }
    });
    if (keyspace.clustered) {
      // Keyspace events are node-local: one subscriber per master, following the topology.
      this.#masters = new MasterSubscribers(redis as Cluster, [channels.expiredChannel, channels.deletedChannel], onKeyevent, onReady);
      await this.#masters.start();
    } else {
      connections = subscriber.status === 'ready' ? 1 : 0;
      subscriber.on('ready', onReady);
      subscriber.on('message', onKeyevent);
      await subscriber.subscribe(channels.expiredChannel, channels.deletedChannel);
    }
    // Created events are ordinary PUBLISHes: on a Cluster every node relays them.
    await subscriber.psubscribe(channels.createdChannelPattern);
    if (!keyspace.clustered && this.#options.subscriber === undefined) {
      // ioredis's own resubscribe leaves a rejected promise unhandled when the connection drops
      // again meanwhile; our connection has it off and subscribes again here instead.
      subscriber.on('ready', () => {
        const ignore = (): undefined => undefined;
        (subscriber as Redis).subscribe(channels.expiredChannel, channels.deletedChannel).catch(ignore);
        subscriber.psubscribe(channels.createdChannelPattern).catch(ignore);
      });
    }
    if (status.state === 'unknown') await this.#probe(repository);
  }

  #connection(which: 'subscriber' | 'reader', repository: RedisIndexedSessionRepository): Redis | Cluster {
    const given = this.#options[which];
    if (given !== undefined) return given;
    const client = ioredisOf(repository);
    const connection: Redis | Cluster = client.isCluster
      ? (client as Cluster).duplicate()
      : (client as Redis).duplicate(which === 'subscriber' ? { autoResubscribe: false } : {});
    connection.on('error', () => {
      // Reconnection is automatic; failures surface where they matter.
    });
    this.#ownedConnections.push(connection);
    return connection;
  }

  /**
   * Delivers one stream entry. In `'once'` delivery it resolves when the handlers' promises
   * settle (then the entry is acknowledged); in `'broadcast'` at once, so a slow handler
   * holds back nothing.
   */
  async #onStreamEntry(repository: RedisIndexedSessionRepository, entry: StreamEntry): Promise<void> {
    const record = await repository.readEventRecord(entry.fields);
    if (record === null || this.#alreadyEnded(record.event.sessionId)) return;
    if (record.error !== null) this.#report(record.error);
    const handled = this.#deliverLifecycle(record.event);
    if (this.#options.delivery === 'once') await handled;
  }

  /** Whether this session's end was delivered already; remembers it otherwise (the last 100,000). */
  #alreadyEnded(sessionId: string): boolean {
    if (this.#recentlyEnded.has(sessionId)) return true;
    this.#recentlyEnded.add(sessionId);
    if (this.#recentlyEnded.size > 100_000) {
      const oldest = this.#recentlyEnded.values().next().value;
      if (oldest !== undefined) this.#recentlyEnded.delete(oldest);
    }
    return false;
  }

  /** Proves that `del` and `expired` keyevents arrive, with two short-lived keys of our namespace. */
  async #probe(repository: RedisIndexedSessionRepository): Promise<void> {
    const keys = repository.keyspace.channels;
    const key = `${keys.namespace}:lapse-probe:${randomUUID()}`;
    const arrived = (channel: string): Promise<void> =>
      new Promise((resolve) => this.#probeWaiters.set(`${channel} ${key}`, resolve));
    const both = Promise.all([arrived(keys.deletedChannel), arrived(keys.expiredChannel)]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#options.probeTimeoutMs);
    });
    try {
      const redis = ioredisOf(repository);
      await redis.set(key, '');
      await redis.del(key);
      await redis.set(key, '', 'PX', 1);
      const outcome = await Promise.race([
        both,
        timeout,
        (async () => {
          while ((await redis.exists(key)) === 1) await new Promise((resolve) => setTimeout(resolve, 2));
          return new Promise<never>(() => undefined);
        })(),
      ]);
      if (outcome === 'timeout') {
        throw new KeyspaceNotificationsError(
          'Redis does not publish del and expired keyspace events (notify-keyspace-events must hold E, g and x); CONFIG is not allowed here, so set it in redis.conf or your provider\'s console',
          null,
        );
      }
    } finally {
      clearTimeout(timer);
      this.#probeWaiters.clear();
    }
  }

  /** Delivers an event; resolves when every handler's promise has settled. */
  async #deliverLifecycle(event: SessionLifecycleEvent): Promise<void> {
    if (event.type === 'created') {
      await this.#deliver('created', event);
      return;
    }
    const destroyed = event as SessionDestroyedEvent;
    const settled = [this.#deliver(destroyed.type, destroyed), this.#deliver('destroyed', destroyed)];
    this.#endWatches(destroyed.sessionId, new SessionEndedError(destroyed.sessionId, destroyed.type, destroyed.reason));
    await Promise.all(settled);
  }

  /**
   * Calls each handler on its own, so one that throws does not keep the event from the
   * others; resolves when the handlers' promises (if any) have settled.
   */
  #deliver(name: Exclude<EventName, 'error'>, event: SessionEvent): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const handler of this.listeners(name) as ((event: SessionEvent) => unknown)[]) {
      try {
        const result = handler.call(this, event);
        if (result instanceof Promise) pending.push(result.catch((error: unknown) => this.#report(error)));
      } catch (error) {
        this.#report(error);
      }
    }
    return Promise.all(pending).then(() => undefined);
  }

  /** Forgets one watch without aborting it. */
  #unwatch(sessionId: string, controller: AbortController): void {
    const watchers = this.#watches.get(sessionId);
    watchers?.delete(controller);
    if (watchers?.size === 0) this.#watches.delete(sessionId);
  }

  /** Aborts the watches of a session (only `only`, when given). */
  #endWatches(sessionId: string, reason: SessionEndedError, only?: AbortController): void {
    const watchers = this.#watches.get(sessionId);
    if (watchers === undefined) return;
    for (const controller of only === undefined ? [...watchers] : [only]) {
      if (!watchers.delete(controller)) continue;
      controller.abort(reason);
    }
    if (watchers.size === 0) this.#watches.delete(sessionId);
  }

  #report(error: unknown): void {
    const reported = error instanceof Error ? error : new LapseError('ERR_LAPSE_HANDLER', String(error));
    for (const handler of this.listeners('error')) {
      try {
        handler.call(this, reported);
      } catch {
        // An error handler that throws has nowhere left to report to.
      }
    }
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }
}

/** The repository's client as ioredis (the listener is not on the RedisConnection seam yet). */
function ioredisOf(repository: RedisIndexedSessionRepository): Redis | Cluster {
  if (repository.connection.library !== 'ioredis') {
    throw new InvalidArgumentError('repository', 'SessionEventListener needs a repository on an ioredis client for now (node-redis support comes with its conversion to the RedisConnection seam)');
  }
  return repository.client as unknown as Redis | Cluster;
}
