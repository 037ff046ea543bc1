import { randomUUID } from 'node:crypto';
import { type KeyspaceNotificationsError, type RedisIndexedSessionRepository, type SessionLifecycleEvent } from '@lapse/repository';
import { isLocalSessionEventSource, type KeyeventFastPath, type LocalSessionEventSource, type SessionEnds } from '@lapse/repository/internal';
import { EventEmitter } from 'eventemitter3';
import { createdEventHandler } from './created/createdEventHandler.js';
import { HandlerDelivery } from './delivery/HandlerDelivery.js';
import { SessionEndedError } from './errors/SessionEndedError.js';
import { type ResolvedOptions, resolveOptions } from './listener/resolveOptions.js';
import type { SessionDestroyedEvent, SessionEventListenerEvents } from './SessionEvent.js';
import type { SessionEventListenerOptions } from './SessionEventListenerOptions.js';
import { StreamDelivery } from './stream/StreamDelivery.js';
import { WatchRegistry } from './watch/WatchRegistry.js';

/**
 * Session events: `created`, `deleted`, `expired`, and `destroyed` after each of the last two,
 * each with `{ type, sessionId, session }` where `session` is the session's last stored state.
 *
 * Every session end is recorded once, atomically, in the stream `<ns>:session-events`, with
 * the session's data, by whoever sees it first: `deleteById`, the cleanup sweep, or a listener
 * woken by a keyspace notification (`__keyevent@<db>__:expired` / `:del`, the fast path).
 * Listeners read that stream through consumer groups, so an event is not lost when a
 * pub/sub message is, when the listener's connection drops or its process pauses, or when
 * Redis restarts with persistence (without it, every end recorded after the restart is
 * delivered: a lost stream is read from its beginning). `created` comes from Spring's created channel
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
  readonly #handlers = new HandlerDelivery(this);
  readonly #watches = new WatchRegistry();
  /** The connections the listener opened (subscriber, blocking reader), closed by `close()`. */
  readonly #opened: { close(): Promise<void> }[] = [];
  #fastPath: KeyeventFastPath | null = null;
  #streams: StreamDelivery | null = null;
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
      await this.#startRedis(repository.sessionEnds);
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
    const repository = this.#repository as Partial<{ findById(id: string): Promise<unknown> }>;
    const lookup = typeof repository.findById === 'function' ? repository.findById.bind(repository) : null;
    const exists = lookup === null ? null : async (): Promise<boolean> => (await lookup(sessionId)) !== null;
    return this.#watches.watch(sessionId, options.signal, exists, (error) => this.#handlers.report(error));
  }

  /**
   * Stops: unsubscribes, stops reading, waits for the events being handled, and closes the
   * connections it opened. A temporary broadcast group is removed.
   */
  async close(): Promise<void> {
    this.#started = false;
    this.#removeLocalHandler?.();
    this.#removeLocalHandler = null;
    const fastPath = this.#fastPath;
    const streams = this.#streams;
    this.#fastPath = null;
    this.#streams = null;
    const closing = this.#opened.splice(0).map((connection) => connection.close().catch(() => undefined));
    await Promise.all([...closing, streams?.stop(), fastPath?.close()]);
    this.#watches.clear();
  }

  /** Starts on a Redis repository: everything of Redis comes through its {@link SessionEnds}. */
  async #startRedis(ends: SessionEnds): Promise<void> {
    const { configureKeyspaceNotifications: configure, delivery, name, group, leaseMs } = this.#options;
    await ends.checkDatabase(this.#options.reader);
    const status = await ends.ensureKeyspaceNotifications(configure);
    const report = (error: unknown): void => this.#handlers.report(error);
    const streamOptions = { once: delivery === 'once', name: name ?? randomUUID(), group, leaseMs, temporary: delivery === 'broadcast' && name === undefined };
    this.#streams = new StreamDelivery(ends, streamOptions, (event) => this.#deliverLifecycle(event), report);
    // A Cluster is polled (no blocking connection): see SessionEnds.openBlockingConnection.
    const blocking = await ends.openBlockingConnection(this.#options.reader);
    await this.#streams.start(blocking === null ? null : this.#own(blocking));
    // One subscriber for created events (a classic PUBLISH: any node of a Cluster relays it) and, on a single Redis, keyevents.
    const subscriber = this.#own(await ends.openSubscriber(this.#options.subscriber));
    this.#fastPath = ends.fastPath(configure, report);
    await this.#fastPath.start(subscriber);
    await subscriber.psubscribe([ends.createdChannelPattern], createdEventHandler(ends, (event) => void this.#deliverLifecycle(event), report));
    // Where CONFIG is forbidden: prove that del and expired keyevents arrive, with a short-lived key.
    if (status.state === 'unknown') await this.#fastPath.requireKeyspaceEvents(this.#options.probeTimeoutMs);
  }

  #own<T extends { close(): Promise<void> }>(connection: T): T {
    this.#opened.push(connection);
    return connection;
  }

  /** Delivers an event (and ends its session's watches); resolves when every handler's promise has settled. */
  async #deliverLifecycle(event: SessionLifecycleEvent): Promise<void> {
    if (event.type === 'created') {
      await this.#handlers.deliver('created', event);
      return;
    }
    const destroyed = event as SessionDestroyedEvent;
    const settled = [this.#handlers.deliver(destroyed.type, destroyed), this.#handlers.deliver('destroyed', destroyed)];
    this.#watches.end(destroyed.sessionId, new SessionEndedError(destroyed.sessionId, destroyed.type, destroyed.reason));
    await Promise.all(settled);
  }
}
