import {
  ATTRIBUTE_PREFIX,
  CorruptSessionDataError,
  CREATION_TIME_FIELD,
  decodeMetadata,
  EVENT_RECORDED_FIELD,
  expiresAtOf as expiryOf,
  LAST_ACCESSED_TIME_FIELD,
  MAX_INACTIVE_INTERVAL_FIELD,
  type SessionSerializer,
} from '@lapse/repository';

/**
 * A session as the store last read or wrote it: the hash's fields as stored (serialized), so
 * the next write sends only what differs, and the values the write path needs.
 */
export interface StoredSession {
  /** The session id it was read or written for. */
  readonly id: string;
  /** Hash field → stored text (metadata and `sessionAttr:` fields). */
  readonly fields: Map<string, string>;
  /** `lastAccessedTime`, epoch ms. */
  lastAccessedTime: number;
  /** `maxInactiveInterval`, seconds (negative: never expires). */
  maxInactiveInterval: number;
  /** The principal name as stored (the store's principal field: `lapse.principal`, or the attribute `principal` names), or `null`. */
  principal: string | null;
  /** When the store last read or wrote it (epoch ms). */
  rememberedAt: number;
}

/** The session's expiry as lapse computes it (`lastAccessedTime + maxInactiveInterval`), `null` for never. */
export function expiresAtOf(stored: Pick<StoredSession, 'lastAccessedTime' | 'maxInactiveInterval'>): number | null {
  return expiryOf(stored.lastAccessedTime, stored.maxInactiveInterval);
}

/**
 * The live session in an HGETALL reply, or `null` when there is none: no hash, a deleted one
 * (`maxInactiveInterval` 0), one whose end is recorded, or one past its expiry by `now`
 * (lapse's own rule: the shadow key holds the same deadline). Throws
 * {@link CorruptSessionDataError} when the metadata cannot be read.
 */
export function readStoredSession(
  id: string,
  key: string,
  reply: readonly string[],
  serializer: SessionSerializer,
  principalField: string,
  now: number,
): StoredSession | null {
  if (reply.length === 0) return null;
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = reply[i] as string;
    if (field === EVENT_RECORDED_FIELD) return null;
    fields.set(field, reply[i + 1] as string);
  }
  const number = (field: string): number => {
    const text = fields.get(field);
    if (text === undefined) throw new CorruptSessionDataError(id, key, `${field} key must not be null`);
    let value: unknown;
    try {
      value = decodeMetadata(text, serializer);
    } catch (error) {
      throw new CorruptSessionDataError(id, key, `field "${field}" cannot be deserialized: ${String(error)}`, { cause: error });
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new CorruptSessionDataError(id, key, `${field} must be a number, got ${JSON.stringify(value)}`);
    return value;
  };
  number(CREATION_TIME_FIELD);
  const stored: StoredSession = {
    id,
    fields,
    lastAccessedTime: number(LAST_ACCESSED_TIME_FIELD),
    maxInactiveInterval: number(MAX_INACTIVE_INTERVAL_FIELD),
    principal: null,
    rememberedAt: now,
  };
  const expiresAt = expiresAtOf(stored);
  if (stored.maxInactiveInterval === 0 || (expiresAt !== null && expiresAt <= now)) return null;
  const principal = fields.get(principalField);
  if (principal !== undefined) {
    const name = attributeValue(id, key, principalField, principal, serializer);
    // As the codec's principalOf: an empty name (or another value in an attribute named by `principal`) is no principal.
    stored.principal = typeof name === 'string' && name.length > 0 ? name : null;
  }
  return stored;
}

/** An attribute's value, deserialized; {@link CorruptSessionDataError} when it cannot be. */
export function attributeValue(id: string, key: string, field: string, text: string, serializer: SessionSerializer): unknown {
  try {
    return serializer.deserialize(text);
  } catch (error) {
    throw new CorruptSessionDataError(id, key, `field "${field}" cannot be deserialized: ${String(error)}`, { cause: error });
  }
}

/** Whether `field` is an attribute field (`sessionAttr:<name>`). */
export function isAttributeField(field: string): boolean {
  return field.length > ATTRIBUTE_PREFIX.length && field.startsWith(ATTRIBUTE_PREFIX);
}
