import { CorruptSessionDataError, type SessionSerializer, type StoredSessionHash } from '@lapse/repository';
import { ATTRIBUTE_PREFIX } from '@lapse/repository/internal';

/**
 * A session as the store last read or wrote it: the hash's fields as stored (serialized), so
 * the next write sends only what differs, and the values the write path needs. A read keeps
 * the reply's flat field/value pairs as they came; the field map is built from them only when
 * a write needs it (a read whose touch is skipped never builds it).
 */
export class StoredSession {
  /** `lastAccessedTime`, epoch ms. */
  lastAccessedTime: number;
  /** `maxInactiveInterval`, seconds (negative: never expires). */
  maxInactiveInterval: number;
  /** The principal name as stored (the store's principal field: `lapse.principal`, or the attribute `principal` names), or `null`. */
  principal: string | null;
  /** When the store last read or wrote it (epoch ms). */
  rememberedAt: number;
  /** The fields as read (field, value, field, value…), until {@link fields} builds the map. */
  #pairs: readonly string[] | null;
  #fields: Map<string, string> | null;

  /**
   * @param id The session id it was read or written for.
   * @param fields The hash's fields: a map (a write), or the flat pairs of a read.
   */
  constructor(
    readonly id: string,
    fields: Map<string, string> | readonly string[],
    times: { readonly lastAccessedTime: number; readonly maxInactiveInterval: number },
    principal: string | null,
    rememberedAt: number,
  ) {
    this.lastAccessedTime = times.lastAccessedTime;
    this.maxInactiveInterval = times.maxInactiveInterval;
    this.principal = principal;
    this.rememberedAt = rememberedAt;
    this.#fields = fields instanceof Map ? fields : null;
    this.#pairs = fields instanceof Map ? null : fields;
  }

  /** Hash field → stored text (metadata and `sessionAttr:` fields). */
  get fields(): Map<string, string> {
    if (this.#fields === null) {
      const fields = new Map<string, string>();
      const pairs = this.#pairs as readonly string[];
      for (let i = 0; i + 1 < pairs.length; i += 2) fields.set(pairs[i] as string, pairs[i + 1] as string);
      this.#fields = fields;
      this.#pairs = null;
    }
    return this.#fields;
  }

  /** The stored text of `field`, or `undefined`. */
  field(field: string): string | undefined {
    const pairs = this.#pairs;
    if (pairs === null) return (this.#fields as Map<string, string>).get(field);
    for (let i = 0; i + 1 < pairs.length; i += 2) if (pairs[i] === field) return pairs[i + 1];
    return undefined;
  }

  /** Calls `each` with every field and its stored text, in the hash's order. */
  forEachField(each: (field: string, text: string) => void): void {
    const pairs = this.#pairs;
    if (pairs === null) {
      for (const [field, text] of this.#fields as Map<string, string>) each(field, text);
      return;
    }
    for (let i = 0; i + 1 < pairs.length; i += 2) each(pairs[i] as string, pairs[i + 1] as string);
  }
}

/**
 * The store's record of a live session the repository read (`readSessionHash`: its liveness
 * rule, its metadata decoding), with the principal read from `principalField`; `null` for
 * `null`. Throws {@link CorruptSessionDataError} when the principal cannot be deserialized
 * (`keyOf(id)`, the session's hash key, is asked for only then).
 */
export function storedSessionOf(
  id: string,
  keyOf: (id: string) => string,
  hash: StoredSessionHash | null,
  serializer: SessionSerializer,
  principalField: string,
  now: number,
): StoredSession | null {
  if (hash === null) return null;
  const stored = new StoredSession(id, hash.fields, hash, null, now);
  const principal = stored.field(principalField);
  if (principal !== undefined) {
    const name = attributeValue(id, keyOf, principalField, principal, serializer);
    // As the codec's principalOf: an empty name (or another value in an attribute named by `principal`) is no principal.
    stored.principal = typeof name === 'string' && name.length > 0 ? name : null;
  }
  return stored;
}

/** An attribute's value, deserialized; {@link CorruptSessionDataError} (naming the hash key `keyOf(id)`) when it cannot be. */
export function attributeValue(id: string, keyOf: (id: string) => string, field: string, text: string, serializer: SessionSerializer): unknown {
  try {
    return serializer.deserialize(text);
  } catch (error) {
    throw new CorruptSessionDataError(id, keyOf(id), `field "${field}" cannot be deserialized: ${String(error)}`, { cause: error });
  }
}

/** Whether `field` is an attribute field (`sessionAttr:<name>`). */
export function isAttributeField(field: string): boolean {
  return field.length > ATTRIBUTE_PREFIX.length && field.startsWith(ATTRIBUTE_PREFIX);
}
