import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import type { RedisBlockingConnection, RedisConnection, RedisSubscriber } from '../redis/clients/RedisConnection.js';
import type { RepositoryContext } from '../RepositoryContext.js';
import type { SessionLifecycleEvent } from '../SessionRepository.js';
import { recordSessionEnd } from './record-session-end.js';
import { EventStreamReader, type EventStreamReaderOptions } from './EventStreamReader.js';
import { ensureKeyspaceNotifications, type KeyspaceNotificationsStatus } from './keyspace/ensureKeyspaceNotifications.js';
import { KeyeventFastPath } from './keyspace/KeyeventFastPath.js';
import type { SessionEndRecord, SessionEndRecords } from './SessionEndRecords.js';

/** A session end read from one shard's event stream, ready to deliver. */
export interface SessionEnded extends SessionEndRecord {
  /** The stream entry's id. */
  readonly entryId: string;
  /** The stream it was read from (`<ns>:session-events`, one per shard). */
  readonly stream: string;
}

/** How a listener reads the session ends of one stream (see {@link SessionEnds.openReader}). */
export interface SessionEndReaderOptions extends Omit<EventStreamReaderOptions, 'stream' | 'handle'> {
  /**
   * Called for each session end; the entry is acknowledged when the returned promise settles. A
   * record that is not a session end is acknowledged without a call.
   */
  readonly handle: (end: SessionEnded) => Promise<void>;
}

/**
 * A session's end in one place, as the listener (`@lapse/events`) consumes it: the end records
 * the repository's scripts write to `<ns>:session-events` (one stream per shard), read through
 * consumer groups and turned into ready {@link SessionEnded} events; the keyspace fast path (an
 * end heard from Redis's `del`/`expired` notification of a shadow key is recorded at once); the
 * created channel's messages; and the checks a listener makes before it starts. Reached as
 * `repository.sessionEnds`.
 */
export class SessionEnds {
  readonly #context: RepositoryContext;
  readonly #records: SessionEndRecords;

  /** @internal Built by the repository, from its context and end records. */
  constructor(context: RepositoryContext, records: SessionEndRecords) {
    this.#context = context;
    this.#records = records;
  }

  /** The event streams, one per shard (one on a single Redis). */
  get streams(): readonly string[] {
    return this.#context.keyspace.shards.map((shard) => shard.eventStreamKey);
  }

  /** The pattern of Spring's created channel, `<ns>:event:<db>:created:*`. */
  get createdChannelPattern(): string {
    return this.#context.keyspace.channels.createdChannelPattern;
  }

  /**
   * Resolves once Redis confirmed the repository's connection is on its database (asked once
   * per repository), and `reader`, when given, is on it too. Rejects with `WrongDatabaseError`,
   * or {@link InvalidArgumentError} naming `reader`.
   */
  async checkDatabase(reader: RedisConnection | null): Promise<void> {
    await this.#context.calls.checkDatabase();
    if (reader === null) return;
    const { database } = this.#context.options;
    const readerDatabase = await reader.currentDatabase();
    if (readerDatabase !== database) {
      throw new InvalidArgumentError('reader', `must be on the repository's database ${database}, but is on database ${readerDatabase}`);
    }
  }

  /** {@link ensureKeyspaceNotifications} on the repository's Redis (every master of a Cluster). */
  ensureKeyspaceNotifications(configure: boolean): Promise<KeyspaceNotificationsStatus> {
    return ensureKeyspaceNotifications(this.#context.connection, configure);
  }

  /** A pub/sub connection opened from `from` (the repository's client when `null`); the caller closes it. */
  openSubscriber(from: RedisConnection | null): Promise<RedisSubscriber> {
    return (from ?? this.#context.connection).openSubscriber();
  }

  /**
   * A blocking connection for the stream reads, opened from `from` (the repository's client when
   * `null`); the caller closes it. `null` on a Cluster, where the streams are polled: a blocked
   * read there would hold the node connection that the application's commands share.
   */
  async openBlockingConnection(from: RedisConnection | null): Promise<RedisBlockingConnection | null> {
    return this.#context.keyspace.clustered ? null : (from ?? this.#context.connection).openBlockingConnection();
  }

  /**
   * A reader of `stream`'s session ends through a consumer group (not started), as
   * {@link EventStreamReader} says: `blocking` serves the blocking reads, without it the reader
   * polls. Each record is decoded and turned into a `Session` before `handle` sees it (a session
   * written by Spring, which keeps no `:idx` set, is removed from its principal's index then).
   */
  openReader(stream: string, blocking: RedisBlockingConnection | null, options: SessionEndReaderOptions): EventStreamReader {
    const { handle, ...rest } = options;
    const records = this.#records;
    return new EventStreamReader(this.#context.connection, blocking, {
      ...rest,
      stream,
      handle: async (entry) => {
        const record = await records.read(entry.fields);
        if (record !== null) await handle({ ...record, entryId: entry.id, stream });
      },
    });
  }

  /**
   * The keyspace fast path (not started): `del`/`expired` keyevents of shadow keys make it
   * {@link recordEnd} at once. With `configure` it applies the keyspace setting again after a reconnect.
   */
  fastPath(configure: boolean, report: (error: unknown) => void): KeyeventFastPath {
    const { connection, keyspace } = this.#context;
    return new KeyeventFastPath({ connection, keyspace, recordEnd: (id, type) => this.recordEnd(id, type) }, configure, report);
  }

  /**
   * Records the end of session `id`, heard from a keyspace notification, if its shadow key is
   * really gone and nobody has recorded it yet (one round trip; many listeners may race, one
   * records). Resolves whether this call recorded it; `false` for an id the repository would not accept.
   */
  async recordEnd(id: string, type: 'deleted' | 'expired'): Promise<boolean> {
    const context = this.#context;
    if (!context.isValidId(id)) return false;
    const keys = context.keyspace.of(id);
    return recordSessionEnd(context.calls.runScript, {
      hashKey: keys.sessionKey(id),
      indexReferenceKey: keys.indexReferenceKey(id),
      shadowKey: keys.shadowKey(id),
      eventStreamKey: keys.eventStreamKey,
      id,
      indexReference: context.expiration.reference(keys),
      indexKind: context.expiration.kind,
      type,
      streamMaxLength: context.streamRetention.maxLength,
      streamMaxAgeMs: context.streamRetention.maxAgeMs,
    });
  }

  /**
   * The `created` event of a message on Spring's created channel: the session as its first save
   * wrote it. `null` for another namespace or database, or an id the repository would not
   * accept; throws `CorruptSessionDataError` for a body that cannot be read.
   */
  createdEvent(channel: string, body: string): SessionLifecycleEvent | null {
    const { keyspace, isValidId, mapper } = this.#context;
    const sessionId = keyspace.channels.sessionIdOfCreatedChannel(channel);
    if (sessionId === null || !isValidId(sessionId)) return null;
    return { type: 'created', sessionId, session: mapper.fromCreatedMessage(sessionId, body) };
  }
}
