import { randomUUID } from 'node:crypto';
import type { SessionLifecycleEvent } from '@lapse/repository';
import type { EventStreamReader, RedisBlockingConnection, SessionEnded, SessionEnds } from '@lapse/repository/internal';

/** How the listener consumes the session-end streams. */
export interface StreamDeliveryOptions {
  readonly once: boolean;
  /** The broadcast group's name (`broadcast:<name>`). */
  readonly name: string;
  /** The shared group's name for `once` (`once:<group>`). */
  readonly group: string;
  readonly leaseMs: number;
  /** Whether the broadcast group is removed at `stop()` (a listener without a stable name). */
  readonly temporary: boolean;
}

/** How many delivered session ends are remembered against replays. */
const REMEMBERED_ENDS = 100_000;

/**
 * Session ends from the stream `<ns>:session-events` of each shard (one on a single Redis),
 * through a consumer group: `broadcast:<name>` (every listener its own) or `once:<group>`
 * (shared, with a lease). Each session's end is delivered once even when a failover replays
 * the last records of a stream: the last {@link REMEMBERED_ENDS} ends (id and creation time) are remembered.
 */
export class StreamDelivery {
  readonly #ends: SessionEnds;
  readonly #options: StreamDeliveryOptions;
  readonly #deliver: (event: SessionLifecycleEvent) => Promise<void>;
  readonly #report: (error: unknown) => void;
  readonly #recentlyEnded = new Set<string>();
  #readers: EventStreamReader[] = [];

  /** `deliver` resolves when the event's handlers have settled. */
  constructor(
    ends: SessionEnds,
    options: StreamDeliveryOptions,
    deliver: (event: SessionLifecycleEvent) => Promise<void>,
    report: (error: unknown) => void,
  ) {
    this.#ends = ends;
    this.#options = options;
    this.#deliver = deliver;
    this.#report = report;
  }

  /**
   * Creates the groups (new records only) and starts a reader per shard. `blocking` serves the
   * blocking reads; without it (a Cluster) the readers poll.
   */
  async start(blocking: RedisBlockingConnection | null): Promise<void> {
    const { once, name, group, leaseMs } = this.#options;
    const consumer = once ? `${process.pid}-${randomUUID().slice(0, 8)}` : name;
    for (const stream of this.#ends.streams) {
      const reader = this.#ends.openReader(stream, blocking, {
        group: once ? `once:${group}` : `broadcast:${name}`,
        consumer,
        startAt: '$',
        batchSize: 100,
        leaseMs: once ? leaseMs : null,
        handle: (end) => this.#onEnd(end),
        report: this.#report,
      });
      await reader.start();
      this.#readers.push(reader);
    }
  }

  /** Stops every reader (waiting for entries being handled) and removes a temporary group. */
  async stop(): Promise<void> {
    const readers = this.#readers.splice(0);
    await Promise.all(readers.map((reader) => reader.stop()));
    if (this.#options.temporary) await Promise.all(readers.map((reader) => reader.destroyGroup().catch(() => undefined)));
  }

  /**
   * Delivers one session end. With `once` it resolves when the handlers' promises settle
   * (then the entry is acknowledged); in broadcast at once, so a slow handler holds back nothing.
   */
  async #onEnd(end: SessionEnded): Promise<void> {
    if (this.#alreadyEnded(endOf(end.event))) return;
    if (end.error !== null) this.#report(end.error);
    const handled = this.#deliver(end.event);
    if (this.#options.once) await handled;
  }

  /** Whether this end (of one session's life, see {@link endOf}) was delivered already; remembers it otherwise. */
  #alreadyEnded(end: string): boolean {
    if (this.#recentlyEnded.has(end)) return true;
    this.#recentlyEnded.add(end);
    if (this.#recentlyEnded.size > REMEMBERED_ENDS) {
      const oldest = this.#recentlyEnded.values().next().value;
      if (oldest !== undefined) this.#recentlyEnded.delete(oldest);
    }
    return false;
  }
}

/**
 * Which end an event is: the session id and its creation time, so that an id used again (the
 * express-session store sets a destroyed id anew) ends once per life, and each end is delivered.
 */
function endOf(event: SessionLifecycleEvent): string {
  return `${event.sessionId}\u0000${event.session?.creationTime ?? ''}`;
}
