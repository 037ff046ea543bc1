import { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import { indexMemberForms } from '../keys/indexMembers.js';
import type { SessionKeyspace } from '../keys/SessionKeyspace.js';
import { ATTRIBUTE_PREFIX, type RedisSessionMapper } from '../mapper/RedisSessionMapper.js';
import type { PrincipalNameResolver } from '../principal/PrincipalNameResolver.js';
import { decodeSessionEndRecord } from './session-end-record.js';
import type { Session } from '../session/Session.js';
import { sessionState } from '../session/SessionState.js';
import type { SessionLifecycleEvent } from '../SessionRepository.js';
import type { RedisCalls } from '../redis/RedisCalls.js';
import type { RepositoryContext } from '../RepositoryContext.js';

/** A session end read from the event stream. */
export interface SessionEndRecord {
  /** The event: `deleted` or `expired`, the id, the last data (null when it was gone), the deletion reason. */
  readonly event: SessionLifecycleEvent;
  /** Set when the stored session could not be read (the event then has `session: null`). */
  readonly error: CorruptSessionDataError | null;
}

/**
 * Reads session ends (event-stream records, and the hash a delete returned) into sessions, and
 * removes sessions written by Spring, which keeps no `:idx` set, from their principal's index.
 */
export class SessionEndRecords {
  #principalFieldSet: ReadonlySet<string> | undefined;

  private readonly calls: RedisCalls;
  private readonly keyspace: SessionKeyspace;
  private readonly mapper: RedisSessionMapper;
  private readonly principalNameResolver: PrincipalNameResolver;
  private readonly isValidId: (id: string) => boolean;

  constructor(context: RepositoryContext) {
    this.calls = context.calls;
    this.keyspace = context.keyspace;
    this.mapper = context.mapper;
    this.principalNameResolver = context.options.principalNameResolver;
    this.isValidId = context.isValidId;
  }

  /** The event in one record of the event stream; `null` for a record that is not a session end. */
  async read(fields: readonly string[]): Promise<SessionEndRecord | null> {
    const record = decodeSessionEndRecord(fields);
    if (record === null || !this.isValidId(record.id)) return null;
    const { type, id, reason } = record;
    let { session, error } = this.readableSession(id, record.hash);
    if (!record.readable) {
      error = new CorruptSessionDataError(id, this.keyspace.of(id).sessionKey(id), 'the session key is not a hash');
    }
    await this.forgetUnreferencedPrincipal(id, session, record.indexes);
    const event: SessionLifecycleEvent = reason === '' ? { type, sessionId: id, session } : { type, sessionId: id, session, reason };
    return { event, error };
  }

  /** After a delete: a session without `:idx` set (written by Spring) is removed from its principal's index too. */
  async afterDelete(id: string, hash: readonly string[], cleaned: readonly string[]): Promise<void> {
    if (this.#mayHaveUnindexedPrincipal(hash, cleaned)) {
      await this.forgetUnreferencedPrincipal(id, this.readableSession(id, hash).session, cleaned);
    }
  }

  /**
   * Sessions written by Spring have no `:idx` set: remove them from their principal's index
   * (read from the hash) too.
   */
  async forgetUnreferencedPrincipal(id: string, session: Session | null, cleaned: readonly string[]): Promise<void> {
    const principal = session === null ? null : sessionState(session).persistedPrincipal;
    if (principal === null) return;
    const indexKey = this.keyspace.of(id).principalIndexKey(principal);
    if (!cleaned.includes(indexKey)) await this.calls.send('SREM', [indexKey, ...indexMemberForms(id)], indexKey, id);
  }

  /** The session in a hash reply, or `null` when it is empty or unreadable. */
  readableSession(id: string, hash: readonly string[]): { session: Session | null; error: CorruptSessionDataError | null } {
    if (hash.length === 0) return { session: null, error: null };
    try {
      return { session: this.mapper.fromHash(id, hash), error: null };
    } catch (error) {
      if (error instanceof CorruptSessionDataError) return { session: null, error };
      throw error;
    }
  }

  /**
   * Whether a deleted session may sit in a principal index its `:idx` set does not name: only a
   * session without one (written by Spring) that holds a principal attribute. Saves parsing
   * every deleted session's attributes.
   */
  #mayHaveUnindexedPrincipal(hash: readonly string[], cleaned: readonly string[]): boolean {
    if (cleaned.length > 0) return false;
    this.#principalFieldSet ??= new Set(this.principalNameResolver.attributeNames.map((name) => ATTRIBUTE_PREFIX + name));
    for (let i = 0; i < hash.length; i += 2) if (this.#principalFieldSet.has(hash[i] as string)) return true;
    return false;
  }
}
