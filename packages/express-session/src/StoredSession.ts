import { CorruptSessionDataError, type SessionSerializer, type StoredSessionHash } from '@lapse/repository';
import { ATTRIBUTE_PREFIX } from '@lapse/repository/internal';

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

/**
 * The store's record of a live session the repository read (`readSessionHash`: its liveness
 * rule, its metadata decoding), with the principal read from `principalField`; `null` for
 * `null`. Throws {@link CorruptSessionDataError} when the principal cannot be deserialized.
 */
export function storedSessionOf(
  id: string,
  key: string,
  hash: StoredSessionHash | null,
  serializer: SessionSerializer,
  principalField: string,
  now: number,
): StoredSession | null {
  if (hash === null) return null;
  const fields = new Map<string, string>();
  const reply = hash.fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i] as string, reply[i + 1] as string);
  const stored: StoredSession = {
    id,
    fields,
    lastAccessedTime: hash.lastAccessedTime,
    maxInactiveInterval: hash.maxInactiveInterval,
    principal: null,
    rememberedAt: now,
  };
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
