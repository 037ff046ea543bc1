import { LapseError, type RedisIndexedSessionRepository } from '@lapse/repository';
import { ATTRIBUTE_PREFIX, CREATION_TIME_FIELD, LAST_ACCESSED_TIME_FIELD, MAX_INACTIVE_INTERVAL_FIELD } from '@lapse/repository/internal';
import { principalOf } from './principalOf.js';

/** One Redis key of a session, and its time to live. */
export interface KeyState {
  readonly key: string;
  readonly exists: boolean;
  /** Time to live in ms; `null` when the key has none (or does not exist). */
  readonly ttlMs: number | null;
}

/**
 * What `lapse show` tells about a session:
 * - `live`: `findById` returns it;
 * - `ended`: deleted or expired, its data still kept for the grace period (5 minutes);
 * - `unreadable`: keys exist but the repository cannot read them as a session.
 */
export interface SessionDetails {
  readonly id: string;
  readonly namespace: string;
  readonly state: 'live' | 'ended' | 'unreadable';
  /** Why it is unreadable, for that state. */
  readonly problem: string | null;
  readonly principal: string | null;
  /** Epoch ms, from the hash. */
  readonly creationTime: number | null;
  /** Epoch ms, from the hash. */
  readonly lastAccessedTime: number | null;
  /** Seconds, from the hash; negative means never, 0 marks a deleted session. */
  readonly maxInactiveInterval: number | null;
  /** When a live session expires (now plus the shadow key's TTL, by Redis's clock), `null` if never. */
  readonly expiresAt: number | null;
  /** The session hash `<ns>:sessions:<id>`. */
  readonly hash: KeyState;
  /** The shadow key `<ns>:sessions:expires:<id>`, whose expiry is the session's. */
  readonly shadowKey: KeyState;
  /** Attribute values by name, as the repository's serializer reads them. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Hash fields that are neither metadata nor attributes, or that could not be read, as stored. */
  readonly otherFields: Readonly<Record<string, string>>;
}

function keyState(key: string, ttl: unknown): KeyState {
  const ms = typeof ttl === 'number' ? ttl : -2;
  return { key, exists: ms !== -2, ttlMs: ms >= 0 ? ms : null };
}

function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Reads everything about one session id, live or ended, without changing anything. Resolves
 * `null` when neither its hash nor its shadow key exists.
 */
export async function readSessionDetails(repository: RedisIndexedSessionRepository, id: string): Promise<SessionDetails | null> {
  const keys = repository.keyspace.of(id);
  const connection = repository.connection;
  const hashKey = keys.sessionKey(id);
  const shadow = keys.shadowKey(id);
  // Sent together: one write, replies in order.
  const [flat, hashTtl, shadowTtl] = await Promise.all([
    connection.send('HGETALL', [hashKey], hashKey) as Promise<string[]>,
    connection.send('PTTL', [hashKey], hashKey),
    connection.send('PTTL', [shadow], shadow),
  ]);
  const hash = keyState(keys.sessionKey(id), hashTtl);
  const shadowKey = keyState(keys.shadowKey(id), shadowTtl);
  if (!hash.exists && !shadowKey.exists) return null;

  const serializer = repository.options.serializer;
  const metadata = new Map<string, unknown>();
  const attributes: Record<string, unknown> = {};
  const otherFields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i] as string;
    const text = flat[i + 1] as string;
    let value: unknown;
    try {
      value = serializer.deserialize(text);
    } catch {
      otherFields[field] = text;
      continue;
    }
    if (field.startsWith(ATTRIBUTE_PREFIX)) attributes[field.slice(ATTRIBUTE_PREFIX.length)] = value;
    else if (field === CREATION_TIME_FIELD || field === LAST_ACCESSED_TIME_FIELD || field === MAX_INACTIVE_INTERVAL_FIELD) metadata.set(field, value);
    else otherFields[field] = text;
  }

  let state: SessionDetails['state'];
  let problem: string | null = null;
  try {
    const session = shadowKey.exists ? await repository.findById(id) : null;
    state = session !== null ? 'live' : hash.exists && !shadowKey.exists ? 'ended' : 'unreadable';
    if (state === 'unreadable') problem = hash.exists ? 'the repository does not return it (invalid id or data)' : 'its shadow key exists without session data';
  } catch (error) {
    if (!(error instanceof LapseError)) throw error;
    state = 'unreadable';
    problem = error.message;
  }
  const now = Date.now();
  return {
    id,
    namespace: keys.namespace,
    state,
    problem,
    principal: principalOf(repository, (name) => attributes[name]),
    creationTime: asNumber(metadata.get(CREATION_TIME_FIELD)),
    lastAccessedTime: asNumber(metadata.get(LAST_ACCESSED_TIME_FIELD)),
    maxInactiveInterval: asNumber(metadata.get(MAX_INACTIVE_INTERVAL_FIELD)),
    expiresAt: state === 'live' && shadowKey.ttlMs !== null ? now + shadowKey.ttlMs : null,
    hash,
    shadowKey,
    attributes,
    otherFields,
  };
}
