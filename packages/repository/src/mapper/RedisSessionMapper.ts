import { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import { SessionSerializationError } from '../errors/SessionSerializationError.js';
import type { SessionKeyspace } from '../keys/SessionKeyspace.js';
import type { PrincipalNameResolver } from '../principal/PrincipalNameResolver.js';
import { isJavaSerialized, javaSerializedMessage } from '../serializer/javaSerialization.js';
import type { SessionSerializer } from '../serializer/SessionSerializer.js';
import type { SaveMode } from '../session/SaveMode.js';
import { Session } from '../session/Session.js';
import type { SessionIdGenerator } from '../session/SessionIdGenerator.js';
import { sessionState, type MetadataField } from '../session/SessionState.js';
import { decodeMetadata, encodeMetadata } from './metadataEncoding.js';

/** Hash field of the creation time (epoch ms), Spring's `RedisSessionMapper.CREATION_TIME_KEY`. */
export const CREATION_TIME_FIELD = 'creationTime';
/** Hash field of the last access time (epoch ms). */
export const LAST_ACCESSED_TIME_FIELD = 'lastAccessedTime';
/** Hash field of the inactivity timeout (seconds). */
export const MAX_INACTIVE_INTERVAL_FIELD = 'maxInactiveInterval';
/** Hash field marking that the session's end is in the event stream (lapse's; Spring ignores it). */
export const EVENT_RECORDED_FIELD = 'lapseEventRecorded';
/** Prefix of attribute fields: `sessionAttr:<name>`. */
export const ATTRIBUTE_PREFIX = 'sessionAttr:';

const METADATA_FIELDS: readonly MetadataField[] = [CREATION_TIME_FIELD, MAX_INACTIVE_INTERVAL_FIELD, LAST_ACCESSED_TIME_FIELD];

/** `sessionAttr:<name>` with a non-empty name. */
function isAttributeField(field: string): boolean {
  return field.startsWith(ATTRIBUTE_PREFIX) && field.length > ATTRIBUTE_PREFIX.length;
}

function isMetadataField(field: string): field is MetadataField {
  return field === CREATION_TIME_FIELD || field === LAST_ACCESSED_TIME_FIELD || field === MAX_INACTIVE_INTERVAL_FIELD;
}

/** A stored session's values sorted into metadata and attributes (null attributes dropped). */
class SessionFields {
  readonly metadata: Record<MetadataField, unknown> = { creationTime: undefined, lastAccessedTime: undefined, maxInactiveInterval: undefined };
  /** The attributes (`null` while there are none: a metadata-only read allocates no map). */
  attributes: Map<string, unknown> | null = null;

  add(field: string, value: unknown): void {
    // One branch per field with a constant property name: a keyed store (`metadata[field]`)
    // was the mapper's largest own cost in a profiled findById.
    if (field === CREATION_TIME_FIELD) this.metadata.creationTime = value;
    else if (field === LAST_ACCESSED_TIME_FIELD) this.metadata.lastAccessedTime = value;
    else if (field === MAX_INACTIVE_INTERVAL_FIELD) this.metadata.maxInactiveInterval = value;
    else if (isAttributeField(field) && value !== null && value !== undefined) (this.attributes ??= new Map()).set(field.slice(ATTRIBUTE_PREFIX.length), value);
  }
}

/** A session hash as read: flat field/value pairs, or field → value. */
export type HashReply = readonly string[] | Readonly<Record<string, string>>;

/** What a save must write: flat field/value pairs to set and fields to delete. */
export interface SessionDelta {
  readonly set: string[];
  readonly remove: string[];
}

/** How sessions built from Redis behave. */
export interface SessionMappingContext {
  readonly saveMode: SaveMode;
  readonly idGenerator: SessionIdGenerator;
  readonly principalNameResolver: PrincipalNameResolver;
  /** The new id when a session changes its id (on a Cluster, one in the same shard). */
  readonly changeId?: (current: string) => string;
}

/**
 * Turns a session hash into a {@link Session} and a session's changes into hash fields
 * (Spring's `RedisSessionMapper`). Also reads and writes the body of the created event,
 * which is the serialized map of the first save's fields, as Spring publishes it.
 */
export class RedisSessionMapper {
  constructor(
    private readonly serializer: SessionSerializer,
    private readonly keyspace: SessionKeyspace,
    private readonly context: SessionMappingContext,
    private readonly maxAttributeBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * A session from an HGETALL reply: flat field/value pairs (as a script returns it) or
   * ioredis's object (as the HGETALL command resolves; a `__proto__` field is an own
   * property there, never the prototype). Throws {@link CorruptSessionDataError} when a
   * required field is missing or a value is not valid (Spring: "creationTime key must not
   * be null").
   */
  fromHash(id: string, hash: HashReply): Session {
    const fields = new SessionFields();
    if (Array.isArray(hash)) {
      for (let i = 0; i + 1 < hash.length; i += 2) this.#read(id, fields, hash[i] as string, hash[i + 1] as string);
    } else {
      const record = hash as Readonly<Record<string, string>>;
      for (const field of Object.keys(record)) this.#read(id, fields, field, record[field] as string);
    }
    return this.#build(id, fields);
  }

  /** The hash key of session `id` (for an error: a read does not build it otherwise). */
  readonly #keyOf = (id: string): string => this.keyspace.of(id).sessionKey(id);

  #read(id: string, fields: SessionFields, field: string, text: string): void {
    const metadata = isMetadataField(field);
    // Neither metadata nor an attribute (lapse's event marker, another application's field): never
    // deserialized, so a value the serializer cannot read does not make the session unreadable.
    if (!metadata && !isAttributeField(field)) return;
    let value: unknown;
    try {
      value = metadata ? decodeMetadata(text, this.serializer) : this.serializer.deserialize(text);
    } catch (error) {
      const message = isJavaSerialized(text) ? javaSerializedMessage(`field "${field}"`) : `field "${field}" cannot be deserialized: ${String(error)}`;
      throw new CorruptSessionDataError(id, this.#keyOf(id), message, { cause: error });
    }
    fields.add(field, value);
  }

  /** A session from the body of a created event. */
  fromCreatedMessage(id: string, body: string): Session {
    const channel = this.keyspace.channels.createdChannel(id);
    let parsed: unknown;
    try {
      parsed = this.serializer.deserialize(body);
    } catch (error) {
      const message = isJavaSerialized(body) ? javaSerializedMessage('created event body') : `created event body cannot be deserialized: ${String(error)}`;
      throw new CorruptSessionDataError(id, channel, message, { cause: error });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CorruptSessionDataError(id, channel, 'created event body is not a map of fields');
    }
    const fields = new SessionFields();
    for (const [field, value] of Object.entries(parsed)) fields.add(field, value);
    return this.#build(id, fields, () => channel);
  }

  /** The fields a save writes, serialized. Throws {@link SessionSerializationError} before anything is sent. */
  delta(session: Session, everything: boolean): SessionDelta {
    const state = sessionState(session);
    const set: string[] = [];
    const remove: string[] = [];
    const changedMetadata = state.changedMetadata;
    const metadata = everything ? METADATA_FIELDS : changedMetadata === null ? [] : METADATA_FIELDS.filter((field) => changedMetadata.has(field));
    // Decimal text whatever the serializer: the Lua scripts read these (see metadataEncoding).
    for (const field of metadata) set.push(field, encodeMetadata(session[field]));

    let names: Iterable<string>;
    if (everything || state.saveMode === 'always') {
      names = new Set([...state.attributes.keys(), ...(state.changedAttributes ?? [])]);
    } else if (state.saveMode === 'on-get-attribute') {
      names = new Set([...(state.changedAttributes ?? []), ...(state.readAttributes ?? [])]);
    } else {
      names = state.changedAttributes ?? [];
    }
    for (const name of names) {
      const value = state.attributes.get(name);
      if (value === undefined) {
        if (!everything) remove.push(ATTRIBUTE_PREFIX + name);
      } else {
        set.push(ATTRIBUTE_PREFIX + name, this.#serialize(session, name, value));
      }
    }
    return { set, remove };
  }

  /** The created event body: the new session's fields as one serialized map. */
  createdMessage(session: Session): string {
    const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    fields[CREATION_TIME_FIELD] = session.creationTime;
    fields[MAX_INACTIVE_INTERVAL_FIELD] = session.maxInactiveInterval;
    fields[LAST_ACCESSED_TIME_FIELD] = session.lastAccessedTime;
    for (const [name, value] of sessionState(session).attributes) fields[ATTRIBUTE_PREFIX + name] = value;
    try {
      return this.serializer.serialize(fields);
    } catch (error) {
      throw new SessionSerializationError(session.id, '(created event)', error);
    }
  }

  /** `maxInactiveInterval` 0 as stored (decimal text, see metadataEncoding), as `deleteById` stores it. */
  serializedZero(): string {
    return encodeMetadata(0);
  }

  #serialize(session: Session, name: string, value: unknown): string {
    let text: string;
    try {
      text = this.serializer.serialize(value);
    } catch (error) {
      throw new SessionSerializationError(session.id, name, error);
    }
    this.checkAttributeSize(session.id, name, text);
    return text;
  }

  /** Throws {@link SessionSerializationError} when an attribute's serialized `text` is over `maxAttributeBytes`. */
  checkAttributeSize(id: string, name: string, text: string): void {
    if (text.length > this.maxAttributeBytes / 4 && Buffer.byteLength(text) > this.maxAttributeBytes) {
      throw new SessionSerializationError(
        id,
        name,
        new RangeError(`${Buffer.byteLength(text)} bytes is over the limit of ${this.maxAttributeBytes} (option maxAttributeBytes)`),
      );
    }
  }

  /**
   * The metadata of a stored hash (flat field/value pairs), decoded and checked as for
   * {@link fromHash}, for readers that keep the hash's attribute texts as they are (the
   * express-session store). Throws {@link CorruptSessionDataError}.
   */
  metadataOf(id: string, hash: readonly string[]): SessionMetadata {
    const fields = new SessionFields();
    for (let i = 0; i + 1 < hash.length; i += 2) {
      const field = hash[i] as string;
      if (isMetadataField(field)) this.#read(id, fields, field, hash[i + 1] as string);
    }
    return checkedMetadata(id, this.#keyOf, fields.metadata);
  }

  /**
   * Checks the metadata (an error names `keyOf(id)`: the hash key, or the channel of a created
   * event) and builds the session, which keeps the attribute map (built for it alone).
   */
  #build(id: string, fields: SessionFields, keyOf: (id: string) => string = this.#keyOf): Session {
    const { metadata } = fields;
    const attributes = fields.attributes ?? new Map<string, unknown>();
    const { creationTime, lastAccessedTime, maxInactiveInterval } = checkedMetadata(id, keyOf, metadata);
    const principal = this.context.principalNameResolver.resolve((name) => attributes.get(name));
    return new Session({
      id,
      creationTime,
      lastAccessedTime,
      maxInactiveInterval,
      attributes,
      adoptAttributes: true,
      persisted: true,
      persistedPrincipal: principal,
      saveMode: this.context.saveMode,
      idGenerator: this.context.idGenerator,
      ...(this.context.changeId === undefined ? {} : { changeId: this.context.changeId }),
    });
  }
}

/** A stored session's times: epoch ms, and seconds (negative: never expires; 0: deleted). */
export interface SessionMetadata {
  readonly creationTime: number;
  readonly lastAccessedTime: number;
  readonly maxInactiveInterval: number;
}

/** The metadata as numbers; {@link CorruptSessionDataError} when one is missing or not a number (Spring: "creationTime key must not be null"). */
function checkedMetadata(id: string, keyOf: (id: string) => string, metadata: Record<MetadataField, unknown>): SessionMetadata {
  const creationTime = metadataNumber(id, keyOf, CREATION_TIME_FIELD, metadata.creationTime);
  const lastAccessedTime = metadataNumber(id, keyOf, LAST_ACCESSED_TIME_FIELD, metadata.lastAccessedTime);
  const maxInactiveInterval = metadataNumber(id, keyOf, MAX_INACTIVE_INTERVAL_FIELD, metadata.maxInactiveInterval);
  if (!Number.isInteger(maxInactiveInterval)) {
    throw new CorruptSessionDataError(id, keyOf(id), `maxInactiveInterval must be an integer, got ${maxInactiveInterval}`);
  }
  return { creationTime, lastAccessedTime, maxInactiveInterval };
}

/** One metadata value as a number; {@link CorruptSessionDataError} (with the hash key `keyOf(id)`) when it is missing or not a number. */
function metadataNumber(id: string, keyOf: (id: string) => string, field: MetadataField, value: unknown): number {
  if (value === undefined || value === null) throw new CorruptSessionDataError(id, keyOf(id), `${field} key must not be null`);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CorruptSessionDataError(id, keyOf(id), `${field} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}
