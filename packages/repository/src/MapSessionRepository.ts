import { foundSessions, type FoundSessions } from './session/FoundSessions.js';
import { CleanupSchedule } from './expiration/CleanupSchedule.js';
import { SessionKeyspace } from './keys/SessionKeyspace.js';
import { RedisSessionMapper } from './mapper/RedisSessionMapper.js';
import { PRINCIPAL_NAME_INDEX_NAME } from './principal/PrincipalNameResolver.js';
import type { RedisIndexedSessionRepositoryOptions, ResolvedRepositoryOptions } from './RepositoryOptions.js';
import { resolveRepositoryOptions } from './resolveRepositoryOptions.js';
import { checkDeleteOptions } from './checkDeleteOptions.js';
import { newSession } from './session/newSession.js';
import type {
  CreateSessionOptions,
  DeleteOptions,
  LocalSessionEventSource,
  SessionEventType,
  SessionLifecycleEvent,
  SessionRepository,
} from './SessionRepository.js';
import type { Session } from './session/Session.js';
import { SessionSaveQueue } from './save/SessionSaveQueue.js';
import { expiresAtOf, markPersisted, sessionState, takeChanges } from './session/SessionState.js';

/** Options of {@link MapSessionRepository}: those of the Redis repository that mean something in memory. */
export type MapSessionRepositoryOptions = Omit<RedisIndexedSessionRepositoryOptions, 'namespace' | 'database'>;

/** A stored session: its hash fields, serialized exactly as Redis would hold them. */
type StoredHash = Map<string, string>;

/**
 * The repository interface in memory, with the same events (`created`, `deleted`, `expired`),
 * for tests and for running without Redis. Values go through the same serializer as in
 * Redis, so what fails to save there fails here, and a found session is a copy.
 * Expired sessions are found by the cleanup schedule (`cleanupCron`, default every minute)
 * or on access, and produce `expired` then.
 */
export class MapSessionRepository implements SessionRepository, LocalSessionEventSource {
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedRepositoryOptions>;
  readonly #sessions = new Map<string, StoredHash>();
  readonly #handlers = new Set<(event: SessionLifecycleEvent) => void>();
  readonly #mapper: RedisSessionMapper;
  readonly #saves: SessionSaveQueue;
  #schedule: CleanupSchedule | null = null;

  constructor(options: MapSessionRepositoryOptions = {}) {
    this.options = Object.freeze(resolveRepositoryOptions(options, 0));
    this.#mapper = new RedisSessionMapper(this.options.serializer, new SessionKeyspace('lapse:memory', 0, null), {
      saveMode: this.options.saveMode,
      idGenerator: this.options.sessionIdGenerator,
      principalNameResolver: this.options.principalNameResolver,
    }, this.options.maxAttributeBytes);
    this.#saves = new SessionSaveQueue({ write: async (session) => this.#write(session) });
    if (this.options.cleanupCron !== null) {
      this.#schedule = new CleanupSchedule(this.options.cleanupCron, () => this.cleanupExpiredSessions(), this.options.onCleanupError);
    }
  }

  addSessionEventHandler(handler: (event: SessionLifecycleEvent) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async createSession(options: CreateSessionOptions = {}): Promise<Session> {
    return this.#saves.created(newSession(options, this.options), this.options.flushMode === 'immediate');
  }

  save(session: Session): Promise<boolean> {
    return this.#saves.save(session);
  }

  async findById(id: string): Promise<Session | null> {
    const session = this.#live(id);
    if (session !== null && this.options.flushMode === 'immediate') this.#saves.flushOnChange(session);
    return session;
  }

  async deleteById(id: string, options: DeleteOptions = {}): Promise<void> {
    this.#delete(id, checkDeleteOptions(options));
  }

  async deleteByPrincipalName(principalName: string, options: DeleteOptions = {}): Promise<number> {
    const reason = checkDeleteOptions(options);
    const sessions = await this.findByPrincipalName(principalName);
    return [...sessions.keys()].filter((id) => this.#delete(id, reason)).length;
  }

  #delete(id: string, reason: string): boolean {
    const session = this.#live(id);
    if (session === null) return false;
    this.#sessions.delete(id);
    this.#emit('deleted', id, session, reason === '' ? undefined : reason);
    return true;
  }

  /** The live sessions of the principal index value (none is unreadable in memory: `unreadable` stays empty). */
  async findByIndexNameAndIndexValue(indexName: string, indexValue: string): Promise<FoundSessions> {
    const found = foundSessions();
    if (indexName !== PRINCIPAL_NAME_INDEX_NAME) return found;
    for (const id of [...this.#sessions.keys()]) {
      const session = this.#live(id);
      if (session !== null && sessionState(session).persistedPrincipal === indexValue) found.set(id, session);
    }
    return found;
  }

  findByPrincipalName(principalName: string): Promise<FoundSessions> {
    return this.findByIndexNameAndIndexValue(PRINCIPAL_NAME_INDEX_NAME, principalName);
  }

  isValidSessionId(id: string): boolean {
    return typeof id === 'string' && this.options.sessionIdGenerator.isValid(id);
  }

  async *scanSessionIds(): AsyncIterable<string> {
    for (const id of [...this.#sessions.keys()]) if (this.#live(id) !== null) yield id;
  }

  async cleanupExpiredSessions(): Promise<number> {
    let expired = 0;
    for (const id of [...this.#sessions.keys()]) {
      if (this.#live(id) === null) expired += 1;
    }
    return expired;
  }

  async close(): Promise<void> {
    const schedule = this.#schedule;
    this.#schedule = null;
    await schedule?.stop();
  }

  /** The stored session as a new object, or `null`; an expired one is removed and announced. */
  #live(id: string): Session | null {
    const stored = typeof id === 'string' ? this.#sessions.get(id) : undefined;
    if (stored === undefined) return null;
    const session = this.#mapper.fromHash(id, [...stored].flat());
    if (session.isExpired(this.options.clock())) {
      this.#sessions.delete(id);
      this.#emit('expired', id, session);
      return null;
    }
    return session;
  }

  #write(session: Session): boolean {
    const state = sessionState(session);
    const storedId = state.persistedId ?? session.id;
    // A new session may take the id of one that has ended (an expired one is announced first), never a live one's.
    if (state.isNew ? this.#live(session.id) !== null : this.#live(storedId) === null) {
      return false;
    }
    const delta = this.#mapper.delta(session, state.isNew);
    const renamed = !state.isNew && storedId !== session.id;
    if (!state.isNew && !renamed && delta.set.length === 0 && delta.remove.length === 0) return true;
    takeChanges(state);
    const hash: StoredHash = this.#sessions.get(storedId) ?? new Map();
    for (let i = 0; i < delta.set.length; i += 2) hash.set(delta.set[i] as string, delta.set[i + 1] as string);
    for (const field of delta.remove) hash.delete(field);
    if (renamed) this.#sessions.delete(storedId);
    this.#sessions.set(session.id, hash);
    const principal = this.options.principalNameResolver.resolve((name) => state.attributes.get(name));
    const wasNew = state.isNew;
    markPersisted(session, { id: session.id, expiresAt: expiresAtOf(session.lastAccessedTime, session.maxInactiveInterval), principal });
    if (wasNew) this.#emit('created', session.id, this.#mapper.fromHash(session.id, [...hash].flat()));
    return true;
  }

  #emit(type: SessionEventType, sessionId: string, session: Session, reason?: string): void {
    const event: SessionLifecycleEvent = reason === undefined ? { type, sessionId, session } : { type, sessionId, session, reason };
    for (const handler of [...this.#handlers]) queueMicrotask(() => handler(event));
  }
}
