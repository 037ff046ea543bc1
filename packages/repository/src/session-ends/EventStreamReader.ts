import type { RedisBlockingConnection, RedisConnection, RedisReply } from '../redis/clients/RedisConnection.js';

/** One record of the event stream. */
export interface StreamEntry {
  readonly id: string;
  /** Flat field/value list. */
  readonly fields: string[];
}

/** How a reader consumes the stream. */
export interface EventStreamReaderOptions {
  /** The stream key. */
  readonly stream: string;
  /** The consumer group. */
  readonly group: string;
  /** This reader's consumer name within the group. */
  readonly consumer: string;
  /** Where a group created at `start()` starts: `'$'` (new records only) or `'0'`. A group lost later is re-created as {@link EventStreamReader} says. */
  readonly startAt: '$' | '0';
  /** Entries per read. */
  readonly batchSize: number;
  /** For shared groups: idle time after which another consumer's unacknowledged entry is taken over; `null` for none. */
  readonly leaseMs: number | null;
  /** Called for each entry; the entry is acknowledged when the returned promise settles (so a handler that returns at once gets it acknowledged at once). */
  readonly handle: (entry: StreamEntry) => Promise<void>;
  /** Problems that do not stop reading. */
  readonly report: (error: unknown) => void;
}


const BLOCK_MS = 1000;
/** Without a blocking connection (Redis Cluster): how long to wait after an empty read. */
const POLL_MS = 50;
/** How long `stop()` waits for entries still being handled; unfinished ones stay pending. */
export const STOP_GRACE_MS = 5000;
const RETRY_MS = 200;

/**
 * Reads the session-event stream through a consumer group: XREADGROUP on its own (blocking)
 * connection, XACK once each entry is handled, and, for a shared group, XAUTOCLAIM of
 * entries another consumer took but did not acknowledge within the lease (it died).
 *
 * A group that is lost (`NOGROUP`: Redis restarted without persistence, a failover to a replica
 * that lacked the group or the stream, or `XGROUP DESTROY`) is created again, and no record
 * written since is skipped:
 * - If the stream still holds the last record this reader read (or the stream's last record
 *   when it created the group), the stream survived and only the group was lost: the group
 *   resumes right after that record.
 * - Otherwise the stream is a new one (or was trimmed past that record): every record in it was
 *   written after this reader's last read, so the group starts at its beginning (`0`). (A reader
 *   that joined a group that existed already and has read nothing since knows no record: it
 *   starts at the beginning too, so a destroyed group of an idle stream is read again.) Resuming
 *   from the last id read would not be safe here: a new stream's ids come from the clock of the
 *   server that holds it now (another host after a failover, or a clock stepped back), which may
 *   be behind the old ids, and the records written since would be skipped.
 * With `once`, several consumers share the group and this reader knows only what it read: when
 * the group alone is lost, records the others read after that may be delivered again.
 */
export class EventStreamReader {
  readonly #commands: RedisConnection;
  readonly #blocking: RedisBlockingConnection | null;
  readonly #options: EventStreamReaderOptions;
  #running = false;
  #loop: Promise<void> | null = null;
  #claimTimer: NodeJS.Timeout | null = null;
  readonly #inFlight = new Set<Promise<void>>();
  /** Ids of entries being handled, so a lease claim never hands this consumer its own entry twice. */
  readonly #handling = new Set<string>();
  #lastReport = 0;
  /** The last record known to be in the stream and already handed to the group: see the class comment; `null`: none. */
  #knownId: string | null = null;
  /** Resolves when `stop()` is called, so a read still waiting on a dead connection never holds the loop. */
  #stopSignal: Promise<'stopped'> = new Promise(() => undefined);
  #signalStop: () => void = () => undefined;

  /**
   * `commands` serves XACK/XAUTOCLAIM/XGROUP; `blocking` serves only XREADGROUP BLOCK. Without
   * a blocking connection (on a Redis Cluster, where a blocked command would hold a node's
   * shared connection) the reader polls with plain XREADGROUP every {@link POLL_MS} ms when idle.
   */
  constructor(commands: RedisConnection, blocking: RedisBlockingConnection | null, options: EventStreamReaderOptions) {
    this.#commands = commands;
    this.#blocking = blocking;
    this.#options = options;
  }

  /** Creates the group if needed and starts reading (first this consumer's own unacknowledged entries). */
  async start(): Promise<void> {
    // At the stream's last record rather than `$`, so that a lost group can tell whether the stream survived.
    const last = this.#options.startAt === '$' ? await this.#lastRecordId() : null;
    // A group that already existed (a named or shared one) is wherever it was: nothing is known of its position.
    if (await this.#createGroup(last ?? '0')) this.#knownId = last;
    this.#stopSignal = new Promise((resolve) => {
      this.#signalStop = () => resolve('stopped');
    });
    this.#running = true;
    this.#loop = this.#read();
    const lease = this.#options.leaseMs;
    if (lease !== null) {
      this.#claimTimer = setInterval(() => void this.#claimAbandoned(lease), Math.max(50, Math.min(lease / 2, 5000)));
      this.#claimTimer.unref();
    }
  }

  /**
   * Stops reading and waits for the entries being handled, at most {@link STOP_GRACE_MS}:
   * an entry whose handling has not finished stays unacknowledged (in a shared group,
   * another consumer takes it over after the lease).
   */
  async stop(): Promise<void> {
    this.#running = false;
    this.#signalStop();
    if (this.#claimTimer !== null) clearInterval(this.#claimTimer);
    this.#claimTimer = null;
    await this.#loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Removes the group (for a listener whose group nobody will resume); gives up after {@link STOP_GRACE_MS}. */
  async destroyGroup(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const { stream, group } = this.#options;
    const destroyed = this.#commands.send('XGROUP', ['DESTROY', stream, group], stream);
    destroyed.catch(() => undefined);
    await Promise.race([destroyed, new Promise((resolve) => { timer = setTimeout(resolve, STOP_GRACE_MS); })]);
    clearTimeout(timer);
  }

  /** Creates the group at `at`; resolves `false` when it exists already (a named group resumed, or another consumer re-created it), which is kept as it is. */
  async #createGroup(at: string): Promise<boolean> {
    try {
      const { stream, group } = this.#options;
      await this.#commands.send('XGROUP', ['CREATE', stream, group, at, 'MKSTREAM'], stream);
      return true;
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      return false;
    }
  }

  /** After `NOGROUP`: re-creates the group right after the last record read if the stream still holds it, else at the stream's beginning. */
  async #recreateGroup(): Promise<void> {
    const { stream } = this.#options;
    const known = this.#knownId;
    const survived = known !== null && entriesOf(await this.#commands.send('XRANGE', [stream, known, known], stream)).length > 0;
    await this.#createGroup(survived ? known : '0');
  }

  /** The id of the stream's last record; `null` when it is empty or missing. */
  async #lastRecordId(): Promise<string | null> {
    const { stream } = this.#options;
    return entriesOf(await this.#commands.send('XREVRANGE', [stream, '+', '-', 'COUNT', 1], stream))[0]?.id ?? null;
  }

  async #read(): Promise<void> {
    const { stream, group, consumer, batchSize } = this.#options;
    let position = '0';
    while (this.#running) {
      let reply: RedisReply;
      try {
        // A client may never settle a command queued on a connection that is closed while it
        // waits to reconnect: race the read against stop().
        const read =
          this.#blocking === null
            ? this.#commands.send('XREADGROUP', ['GROUP', group, consumer, 'COUNT', batchSize, 'STREAMS', stream, position], stream)
            : this.#blocking.send('XREADGROUP', ['GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', BLOCK_MS, 'STREAMS', stream, position]);
        read.catch(() => undefined);
        const outcome = await Promise.race([read, this.#stopSignal]);
        if (outcome === 'stopped') return;
        reply = outcome;
      } catch (error) {
        if (!this.#running) return;
        if (this.#blocking === null && this.#commands.closed) {
          // The application closed its client: nothing to read and nothing to report until it is open again.
          await unrefSleep(RETRY_MS);
          continue;
        }
        if (error instanceof Error && error.message.startsWith('NOGROUP')) {
          await this.#recreateGroup().catch((e: unknown) => this.#reportThrottled(e));
        } else {
          this.#reportThrottled(error);
        }
        await unrefSleep(RETRY_MS);
        continue;
      }
      const entries = streamEntriesOf(reply);
      this.#knownId = entries[entries.length - 1]?.id ?? this.#knownId;
      for (const entry of entries) this.#dispatch(entry);
      if (this.#blocking === null && entries.length === 0 && position === '>') {
        await Promise.race([unrefSleep(POLL_MS), this.#stopSignal]);
      }
      // Own unacknowledged entries first (after a restart under the same name), then new ones.
      if (position !== '>') position = entries[entries.length - 1]?.id ?? '>';
    }
  }

  async #claimAbandoned(leaseMs: number): Promise<void> {
    if (!this.#running) return;
    const { stream, group, consumer, batchSize } = this.#options;
    let cursor = '0-0';
    try {
      do {
        const reply = await this.#commands.send('XAUTOCLAIM', [stream, group, consumer, leaseMs, cursor, 'COUNT', batchSize], stream);
        const [next, claimed] = Array.isArray(reply) ? reply : [];
        cursor = typeof next === 'string' ? next : '0-0';
        for (const entry of entriesOf(claimed)) this.#dispatch(entry);
      } while (cursor !== '0-0' && this.#running);
    } catch (error) {
      this.#reportThrottled(error);
    }
  }

  #dispatch(entry: StreamEntry): void {
    if (this.#handling.has(entry.id)) return;
    this.#handling.add(entry.id);
    const work = this.#options
      .handle(entry)
      .catch((error: unknown) => this.#options.report(error))
      .then(() => this.#commands.send('XACK', [this.#options.stream, this.#options.group, entry.id], this.#options.stream))
      .then(
        () => undefined,
        (error: unknown) => this.#reportThrottled(error),
      );
    this.#inFlight.add(work);
    void work.finally(() => {
      this.#inFlight.delete(work);
      this.#handling.delete(entry.id);
    });
  }

  /** Connection errors repeat while Redis is away: report at most one a second. */
  #reportThrottled(error: unknown): void {
    const now = Date.now();
    if (now - this.#lastReport < 1000) return;
    this.#lastReport = now;
    this.#options.report(error);
  }
}

/** Entries of an `XRANGE`-shaped list `[[id, [field, value, …]], …]`; deleted ones (`null`) are skipped. */
function entriesOf(list: RedisReply | undefined): StreamEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: StreamEntry[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1])) continue;
    entries.push({ id: item[0], fields: item[1].map(String) });
  }
  return entries;
}

/**
 * The entries of an `XREADGROUP` reply for one stream: RESP2's `[[stream, entries]]`, or the
 * flat `[stream, entries]` that a RESP3 map becomes; `null` (nothing new) gives none.
 */
function streamEntriesOf(reply: RedisReply): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first = reply[0];
  return entriesOf(Array.isArray(first) ? first[1] : reply[1]);
}

/** Resolves after `ms`; the timer keeps no process alive. */
function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
