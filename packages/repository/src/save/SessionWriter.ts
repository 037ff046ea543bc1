import { BUCKET_RETENTION_MS } from '../expiration/minute-buckets/minute-bucket.js';
import { INDEX_REFERENCE_GRACE_MS, SESSION_DATA_GRACE_MS } from '../grace-periods.js';
import { ATTRIBUTE_PREFIX, type SessionDelta } from '../mapper/RedisSessionMapper.js';
import { saveSession } from '../redis/scripts/save-session.js';
import { refreshSession } from '../redis/scripts/refresh-session.js';
import { touchSession } from '../redis/scripts/touch-session.js';
import type { Session } from '../session/Session.js';
import { expiresAtOf, markPersisted, restoreChanges, sessionState, takeChanges } from '../session/SessionState.js';
import type { RepositoryContext } from '../RepositoryContext.js';

/**
 * One write of a session kept as its hash's fields rather than as a {@link Session} (lapse's
 * express-session store, which compares the texts it read with the ones it writes), for
 * `RedisIndexedSessionRepository.writeSessionHash`. Such a session keeps no `:idx` set: the
 * principal in its hash is what deletes and session ends clean the principal index from.
 */
export interface SessionHashWrite {
  /** The session id (one the repository accepts). */
  readonly id: string;
  /**
   * `create`: a new session; written when the id is free or its last session has ended (that
   * end is recorded first if nobody has), `'live'` when the id is a live session. `update`:
   * written only while the session lives (no resurrection).
   */
  readonly mode: 'create' | 'update';
  /** Flat field/value pairs to write, serialized (metadata as decimal text, attributes by the serializer). */
  readonly set: readonly string[];
  /** Fields to delete. */
  readonly remove: readonly string[];
  /** `lastAccessedTime` (epoch ms) and `maxInactiveInterval` (seconds, negative: never expires) after the write. */
  readonly lastAccessedTime: number;
  readonly maxInactiveInterval: number;
  /** The expiry as stored (update), `null` for never or unknown. */
  readonly previousExpiresAt: number | null;
  /** The principal name after the write, and as stored before it (update). */
  readonly principal: string | null;
  readonly previousPrincipal: string | null;
  /** The body of the created event (create). */
  readonly createdMessage?: string;
}

/** What a {@link SessionHashWrite} did: `written`; `gone` (refused: the session ended); `live` (create: the id is a live session). */
export type SessionHashWriteOutcome = 'written' | 'gone' | 'live';

/** A write, however the caller keeps its session. */
interface WritePlan {
  readonly isNew: boolean;
  readonly id: string;
  readonly storedId: string;
  readonly interval: number;
  readonly expiresAt: number | null;
  readonly previousExpiresAt: number | null;
  readonly principal: string | null;
  readonly previousPrincipal: string | null;
  readonly delta: SessionDelta;
  /** The created event's body (new sessions), computed before anything is sent. */
  readonly createdMessage: (() => string) | null;
  /** Whether a new session takes an ended one's id (and reports a live one), see {@link SessionHashWrite.mode}. */
  readonly reclaim: boolean;
  /** Whether a session with a principal gets an `:idx` set (the repository's sessions), or none (hash writes: the principal in the hash cleans the index). */
  readonly indexReference: boolean;
}

/**
 * Writes one save in a single round trip: the lean `touch-session` script for the common
 * request (same id and principal, still expiring, same minute bucket), `save-session` for
 * everything else (new session, id change, principal change, new bucket, never expiring).
 * Both the repository's sessions and the express-session store's hashes go this one way.
 */
export class SessionWriter {
  constructor(private readonly context: RepositoryContext) {}

  /** Writes the session's changes. Resolves `false` when the session was gone. */
  async write(session: Session): Promise<boolean> {
    const state = sessionState(session);
    const renamed = !state.isNew && state.persistedId !== session.id;
    const { options, mapper } = this.context;
    const principal = options.principalNameResolver.resolve((name) => state.attributes.get(name));
    const delta = mapper.delta(session, state.isNew);
    if (!state.isNew && !renamed && delta.set.length === 0 && delta.remove.length === 0) return true;
    const interval = session.maxInactiveInterval;
    const expiresAt = expiresAtOf(session.lastAccessedTime, interval);
    const plan: WritePlan = {
      isNew: state.isNew,
      id: session.id,
      storedId: state.persistedId ?? session.id,
      interval,
      expiresAt,
      previousExpiresAt: state.persistedExpiresAt,
      principal,
      previousPrincipal: state.persistedPrincipal,
      delta,
      createdMessage: () => mapper.createdMessage(session),
      // A new session may take the id of one that has ended (its end recorded first), never a live one's.
      reclaim: state.isNew,
      indexReference: true,
    };
    const taken = takeChanges(state);
    let outcome: SessionHashWriteOutcome;
    try {
      outcome = await this.#send(plan);
    } catch (error) {
      restoreChanges(state, taken);
      throw error;
    }
    if (outcome !== 'written') return false;
    markPersisted(session, { id: session.id, expiresAt, principal });
    return true;
  }

  /** Writes a session kept as hash fields (see {@link SessionHashWrite}); attributes over `maxAttributeBytes` throw before anything is sent. */
  writeHash(change: SessionHashWrite): Promise<SessionHashWriteOutcome> {
    const { id, set } = change;
    for (let i = 0; i + 1 < set.length; i += 2) {
      const field = set[i] as string;
      if (field.startsWith(ATTRIBUTE_PREFIX)) this.context.mapper.checkAttributeSize(id, field.slice(ATTRIBUTE_PREFIX.length), set[i + 1] as string);
    }
    const isNew = change.mode === 'create';
    return this.#send({
      isNew,
      id,
      storedId: id,
      interval: change.maxInactiveInterval,
      expiresAt: expiresAtOf(change.lastAccessedTime, change.maxInactiveInterval),
      previousExpiresAt: isNew ? null : change.previousExpiresAt,
      principal: change.principal,
      previousPrincipal: isNew ? null : change.previousPrincipal,
      delta: { set: set as string[], remove: change.remove as string[] },
      createdMessage: isNew ? () => change.createdMessage ?? '' : null,
      reclaim: isNew,
      indexReference: false,
    });
  }

  async #send(plan: WritePlan): Promise<SessionHashWriteOutcome> {
    const { id, storedId, interval, expiresAt, principal, delta } = plan;
    const renamed = !plan.isNew && storedId !== id;
    const principalChanged = principal !== plan.previousPrincipal;
    // An id change keeps the shard (see the repository's changeId), so stored and current keys share a slot.
    const { keyspace, expiration, calls, clock } = this.context;
    const shard = keyspace.of(id);
    // The shadow key lives until the deadline the session's own times give (lastAccessedTime +
    // maxInactiveInterval, by the app's clock), never longer than a whole interval from now: a
    // session written with an earlier lastAccessedTime (a cookie that does not roll, a session
    // moved from connect-redis) ends when its times say, as findById judges it.
    const shadowTtlMs = interval <= 0 ? Math.sign(interval) : Math.max(1, Math.min(interval * 1000, (expiresAt as number) - clock()));
    const hashTtlMs = interval < 0 ? -1 : shadowTtlMs + SESSION_DATA_GRACE_MS;
    const refile =
      !plan.isNew && !renamed && !principalChanged && interval > 0
        ? expiration.touchArguments(shard, expiresAt as number, plan.previousExpiresAt)
        : null;
    // Serialized before anything changes: a value that cannot be serialized throws here.
    const created = plan.isNew && refile === null && plan.createdMessage !== null ? { channel: shard.createdChannel(id), message: plan.createdMessage() } : null;
    const run = calls.runScript;
    // The common request: the lean script (half the arguments). With minute buckets it declines
    // ('moved') when another process's save changed the session's stored bucket: the full save moves it.
    const indexReferenceTtlMs = principal === null || !plan.indexReference ? null : hashTtlMs + INDEX_REFERENCE_GRACE_MS;
    const sortedSet = refile !== null && refile.length === 2 ? { sortedSetKey: refile[0], expiresAt: refile[1] } : null;
    const touch =
      refile === null
        ? null
        : {
            id,
            hashKey: shard.sessionKey(id),
            shadowKey: shard.shadowKey(id),
            indexReferenceKey: shard.indexReferenceKey(id),
            shadowTtlMs,
            hashTtlMs,
            indexReferenceTtlMs,
            refile: sortedSet,
            delta,
          };
    // Nothing but the hash and shadow key to touch (no `:idx` set, no sorted-set entry): the leaner script.
    const touched = touch === null ? 'moved' : await (indexReferenceTtlMs === null && sortedSet === null ? refreshSession(run, touch) : touchSession(run, touch));
    const outcome: SessionHashWriteOutcome =
      touched !== 'moved'
        ? touched
        : await saveSession(run, {
            isNew: plan.isNew,
            id,
            storedId,
            current: { hashKey: shard.sessionKey(id), shadowKey: shard.shadowKey(id), indexReferenceKey: shard.indexReferenceKey(id) },
            stored: {
              hashKey: shard.sessionKey(storedId),
              shadowKey: shard.shadowKey(storedId),
              indexReferenceKey: shard.indexReferenceKey(storedId),
            },
            filing: expiration.filing(shard, expiresAt),
            indexKind: expiration.kind,
            shadowTtlMs,
            hashTtlMs,
            indexReferenceTtlMs: !plan.indexReference ? -2 : hashTtlMs < 0 ? -1 : hashTtlMs + INDEX_REFERENCE_GRACE_MS,
            storedPrincipalIndexKey: plan.previousPrincipal === null ? null : shard.principalIndexKey(plan.previousPrincipal),
            principalIndexKey: principal === null ? null : shard.principalIndexKey(principal),
            principalChanged,
            created,
            registryTrimBefore: clock() - BUCKET_RETENTION_MS,
            delta,
            setMembersAsJson: this.context.options.serializer.setMembersAsJson === true,
            reclaim: plan.reclaim
              ? {
                  eventStreamKey: shard.eventStreamKey,
                  indexReference: expiration.reference(shard),
                  streamMaxLength: this.context.streamRetention.maxLength,
                  streamMaxAgeMs: this.context.streamRetention.maxAgeMs,
                }
              : null,
          });
    // The sorted set's deadline sweeper wakes for it (minute buckets: nothing to tell).
    if (outcome === 'written' && interval > 0) expiration.deadlineSweeper?.deadlineIn(shadowTtlMs);
    return outcome;
  }
}
