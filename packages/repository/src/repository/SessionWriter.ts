import { BUCKET_RETENTION_MS } from '../expiration/MinuteBucketExpirationIndex.js';
import type { RedisSessionExpirationIndex } from '../expiration/RedisSessionExpirationIndex.js';
import { INDEX_REFERENCE_GRACE_MS, SESSION_DATA_GRACE_MS } from '../grace-periods.js';
import type { SessionKeyspace } from '../keys/SessionKeyspace.js';
import type { RedisSessionMapper } from '../mapper/RedisSessionMapper.js';
import type { PrincipalNameResolver } from '../principal/PrincipalNameResolver.js';
import { saveSession } from '../redis/scripts/save-session.js';
import { touchSession } from '../redis/scripts/touch-session.js';
import type { Session } from '../session/Session.js';
import { expiresAtOf, markPersisted, restoreChanges, sessionState, takeChanges } from '../session/SessionState.js';
import type { RedisCalls } from './RedisCalls.js';

/** What the writer needs besides the calls, keys and mapper. */
export interface SessionWriterContext {
  readonly principalNameResolver: PrincipalNameResolver;
  readonly clock: () => number;
  /** The expiration index of the shard that holds a session. */
  readonly indexOf: (id: string) => RedisSessionExpirationIndex;
  /** Told the timeout (ms) of every session written with one, so a deadline sweeper can wake in time. */
  readonly onDeadline: (inMs: number) => void;
  /** Set members in Spring's JSON form (the serializer's `setMembersAsJson`). */
  readonly setMembersAsJson: boolean;
}

/**
 * Writes one save in a single round trip: the lean `touch-session` script for the common
 * request (same id and principal, still expiring, same minute bucket), `save-session` for
 * everything else (new session, id change, principal change, new bucket, never expiring).
 */
export class SessionWriter {
  constructor(
    private readonly calls: RedisCalls,
    private readonly keyspace: SessionKeyspace,
    private readonly mapper: RedisSessionMapper,
    private readonly context: SessionWriterContext,
  ) {}

  /** Writes the session's changes. Resolves `false` when the session was gone. */
  async write(session: Session): Promise<boolean> {
    const state = sessionState(session);
    const renamed = !state.isNew && state.persistedId !== session.id;
    const principal = this.context.principalNameResolver.resolve((name) => state.attributes.get(name));
    const principalChanged = principal !== state.persistedPrincipal;
    const delta = this.mapper.delta(session, state.isNew);
    if (!state.isNew && !renamed && delta.set.length === 0 && delta.remove.length === 0) return true;

    const id = session.id;
    const storedId = state.persistedId ?? id;
    const interval = session.maxInactiveInterval;
    const expiresAt = expiresAtOf(session.lastAccessedTime, interval);
    // An id change keeps the shard (see the repository's changeId), so stored and current keys share a slot.
    const shard = this.keyspace.of(id);
    const expirationIndex = this.context.indexOf(id);
    const hashTtlMs = interval < 0 ? -1 : interval * 1000 + SESSION_DATA_GRACE_MS;
    const refile =
      !state.isNew && !renamed && !principalChanged && interval > 0
        ? expirationIndex.touchArguments(expiresAt as number, state.persistedExpiresAt)
        : null;
    // Serialized before anything changes: a value that cannot be serialized throws here.
    const created = state.isNew && refile === null ? { channel: shard.createdChannel(id), message: this.mapper.createdMessage(session) } : null;
    const run = this.calls.runScript;
    const taken = takeChanges(state);
    let written: boolean;
    try {
      // The common request: the lean script (half the arguments). With minute buckets it
      // declines ('moved') when another process's save changed the session's stored bucket.
      const touched =
        refile === null
          ? 'moved'
          : await touchSession(run, {
              id,
              hashKey: shard.sessionKey(id),
              shadowKey: shard.shadowKey(id),
              indexReferenceKey: shard.indexReferenceKey(id),
              shadowTtlMs: interval * 1000,
              hashTtlMs,
              indexReferenceTtlMs: principal === null ? null : hashTtlMs + INDEX_REFERENCE_GRACE_MS,
              refile: refile.length === 2 ? { sortedSetKey: refile[0], expiresAt: refile[1] } : null,
              delta,
            });
      written =
        touched !== 'moved'
          ? touched === 'written'
          : await saveSession(run, {
              isNew: state.isNew,
              id,
              storedId,
              current: { hashKey: shard.sessionKey(id), shadowKey: shard.shadowKey(id), indexReferenceKey: shard.indexReferenceKey(id) },
              stored: {
                hashKey: shard.sessionKey(storedId),
                shadowKey: shard.shadowKey(storedId),
                indexReferenceKey: shard.indexReferenceKey(storedId),
              },
              filing: expirationIndex.filing(expiresAt),
              indexKind: expirationIndex.kind,
              shadowTtlMs: interval < 0 ? -1 : interval * 1000,
              hashTtlMs,
              indexReferenceTtlMs: hashTtlMs < 0 ? -1 : hashTtlMs + INDEX_REFERENCE_GRACE_MS,
              storedPrincipalIndexKey: state.persistedPrincipal === null ? null : shard.principalIndexKey(state.persistedPrincipal),
              principalIndexKey: principal === null ? null : shard.principalIndexKey(principal),
              principalChanged,
              created,
              registryTrimBefore: this.context.clock() - BUCKET_RETENTION_MS,
              delta,
              setMembersAsJson: this.context.setMembersAsJson,
            });
    } catch (error) {
      restoreChanges(state, taken);
      throw error;
    }
    if (!written) return false;
    markPersisted(session, { id, expiresAt, principal });
    if (interval > 0) this.context.onDeadline(interval * 1000);
    return true;
  }
}
