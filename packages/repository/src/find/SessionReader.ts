import { indexMemberId } from '../keys/indexMembers.js';
import { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import { EVENT_RECORDED_FIELD, type RedisSessionMapper } from '../mapper/RedisSessionMapper.js';
import type { FoundSessions } from '../session/FoundSessions.js';
import type { Session } from '../session/Session.js';
import type { SessionMetadata } from '../mapper/RedisSessionMapper.js';
import type { RepositoryContext } from '../RepositoryContext.js';

/**
 * How near its deadline (by the app's clock) a session must be for `findById` to ask Redis
 * whether its shadow key still exists: app hosts' clocks off Redis's by less than this change
 * nothing.
 */
export const REDIS_DECIDES_WITHIN_MS = 60_000;

/** A session's times, as liveness is decided from them. */
type SessionTimes = Pick<SessionMetadata, 'lastAccessedTime' | 'maxInactiveInterval'>;

/** A live session's hash as stored (flat field/value pairs, attributes still serialized) and its decoded metadata. */
export interface StoredSessionHash extends SessionMetadata {
  readonly fields: readonly string[];
}

/** Finds sessions: by id, through a principal-index set, and every id by SCAN. */
export class SessionReader {
  constructor(private readonly context: RepositoryContext) {}

  /**
   * The live session `id` (valid), or `null`. One HGETALL while the session's deadline
   * (`lastAccessedTime` + `maxInactiveInterval`, by this process's clock) is more than
   * {@link REDIS_DECIDES_WITHIN_MS} away: the shadow key of such a session exists unless it was
   * removed by hand (whose end, once a listener or the sweep has recorded it, marks the hash
   * and makes it not found), and its end is Redis's to decide later. Nearer its deadline, past
   * it, or when the hash cannot be read, the shadow key decides, asked of Redis in a second
   * call, so an app clock off Redis's by less than that changes nothing (and the read makes
   * Redis expire a due shadow key at once, which fires its event early rather than late). The
   * save that follows a find refuses atomically, in its script, to write a session whose
   * shadow key is gone.
   */
  findById(id: string): Promise<Session | null> {
    return this.#find(id, (hash) => this.context.mapper.fromHash(id, hash));
  }

  /**
   * The live session `id` as stored: its hash's field/value pairs as they are, with its
   * metadata decoded (the mapper's), by the same rule as {@link findById}; `null` when not live.
   */
  readHash(id: string): Promise<StoredSessionHash | null> {
    return this.#find(id, (hash) => {
      const { creationTime, lastAccessedTime, maxInactiveInterval } = this.context.mapper.metadataOf(id, hash);
      return { fields: hash, creationTime, lastAccessedTime, maxInactiveInterval };
    });
  }

  #find<T extends SessionTimes>(id: string, decode: (hash: readonly string[]) => T): Promise<T | null> {
    const hashKey = this.context.keyspace.of(id).sessionKey(id);
    // One reaction from the reply to the result (a request's hot path); a second call only when Redis must decide.
    return this.context.calls.send('HGETALL', [hashKey], hashKey, id).then((reply) => this.#live(id, reply as readonly string[], decode));
  }

  /** The session `hash` holds if it is live (see {@link findById}); a promise when Redis must decide. */
  #live<T extends SessionTimes>(id: string, hash: readonly string[], decode: (hash: readonly string[]) => T): T | null | Promise<T | null> {
    if (hash.length === 0) return null;
    // The session's end is in the event stream: its hash is only kept for the grace period.
    for (let i = 0; i < hash.length; i += 2) if (hash[i] === EVENT_RECORDED_FIELD) return null;
    let session: T;
    try {
      session = decode(hash);
    } catch (error) {
      // Corrupt data of a session that has ended (its hash kept for the grace period) is not an error.
      return this.#shadowExists(id).then((exists) => {
        if (exists) throw error;
        return null;
      });
    }
    const { maxInactiveInterval } = session;
    if (maxInactiveInterval === 0) return null;
    if (maxInactiveInterval < 0 || this.context.clock() < session.lastAccessedTime + maxInactiveInterval * 1000 - REDIS_DECIDES_WITHIN_MS) return session;
    return this.#shadowExists(id).then((exists) => (exists ? session : null));
  }

  #shadowExists(id: string): Promise<boolean> {
    const shadowKey = this.context.keyspace.of(id).shadowKey(id);
    return this.context.calls.send('EXISTS', [shadowKey], shadowKey, id).then((exists) => exists === 1);
  }

  /**
   * Reads a live session for a principal's index: `EXISTS` of the shadow key and `HGETALL` of
   * the hash, sent together (one write, replies in order). Liveness is Redis's own deadline:
   * the shadow key must exist (reading it also makes Redis expire it now if it is due, which
   * fires the `expired` event early rather than late), and its absence tells a stale index
   * entry from a live one. Plain commands, not a script: inside a script
   * Redis converts HGETALL's reply to a Lua table and back, which made a find cost Redis
   * about four times the two commands (13.7 µs against 3.6 µs per call, INFO commandstats).
   * The two are not atomic, and need not be: whatever runs between them (a save, a delete, the
   * shadow key's deadline) leaves a result that a find a moment earlier or later would have
   * had; a delete in between leaves no hash or `maxInactiveInterval` 0, read as not found.
   * Resolves the hash when the shadow key exists (empty if the hash is gone); `1` when only
   * the hash is left (grace period); `0` when neither is.
   */
  #readLive(id: string): Promise<readonly string[] | 0 | 1> {
    const { keyspace, calls, connection } = this.context;
    const keys = keyspace.of(id);
    const hashKey = keys.sessionKey(id);
    const shadowKey = keys.shadowKey(id);
    return calls.call('EXISTS+HGETALL', id, () => {
      const live = connection.send('EXISTS', [shadowKey], shadowKey);
      const hash = connection.send('HGETALL', [hashKey], hashKey) as Promise<string[]>;
      return live.then(
        (exists) => hash.then((fields) => (exists === 1 ? fields : fields.length === 0 ? 0 : 1)),
        (error: unknown) => {
          hash.catch(ignore);
          throw error;
        },
      );
    });
  }

  /**
   * Adds the live sessions of one principal-index set to `found`, and those whose data cannot be
   * read to `found.unreadable`; removes entries whose session is gone. Rejects only when Redis
   * fails.
   */
  async findInIndex(indexKey: string, found: FoundSessions): Promise<void> {
    const { calls, mapper, isValidId } = this.context;
    const members = (await calls.send('SMEMBERS', [indexKey], indexKey)) as string[];
    // Spring's JSON serializer writes the members as JSON strings ("<id>").
    const valid = members.filter((member) => isValidId(indexMemberId(member)));
    const ids = valid.map(indexMemberId);
    const replies = await Promise.all(ids.map((id) => this.#readLive(id).catch(unreadable)));
    const vanished: string[] = [];
    replies.forEach((reply, i) => {
      const id = ids[i] as string;
      if (reply instanceof CorruptSessionDataError) return void found.unreadable.push(reply);
      if (reply === 0) vanished.push(valid[i] as string);
      if (typeof reply !== 'object' || reply.length === 0) return;
      let session: Session;
      try {
        session = mapper.fromHash(id, reply);
      } catch (error) {
        return void found.unreadable.push(unreadable(error));
      }
      if (session.maxInactiveInterval !== 0) found.set(id, session);
    });
    // Neither hash nor shadow key left: an entry whose destroy event was missed (Spring #2869).
    if (vanished.length > 0) await calls.send('SREM', [indexKey, ...vanished], indexKey);
  }

  /** Every session id with a shadow key: SCAN (`COUNT count`) on the single Redis, or on every master of a Cluster. */
  async *scanSessionIds(count = 1000): AsyncIterable<string> {
    const { keyspace, calls, connection, isValidId } = this.context;
    const pattern = keyspace.shadowKeyPattern;
    // A Cluster has no cluster-wide SCAN: scan every master.
    const nodes = await calls.call('SCAN', undefined, () => connection.masters());
    for (const node of nodes) {
      let cursor = '0';
      do {
        const reply = await calls.call('SCAN', undefined, () => node.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', count]));
        const [next, keys] = reply as [string, string[]];
        cursor = next;
        for (const key of keys) {
          const id = keyspace.sessionIdOfShadowKey(key);
          if (id !== null && isValidId(id)) yield id;
        }
      } while (cursor !== '0');
    }
  }
}

function ignore(): void {}

/** A session's data that cannot be read, as the error to report; any other error is thrown on. */
function unreadable(error: unknown): CorruptSessionDataError {
  if (error instanceof CorruptSessionDataError) return error;
  throw error;
}
