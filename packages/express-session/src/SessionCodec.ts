import { InvalidArgumentError, JsonSessionSerializer, LAPSE_PRINCIPAL_ATTRIBUTE, PRINCIPAL_NAME_INDEX_NAME, type PrincipalNameResolver, type SessionSerializer } from '@lapse/repository';
import { ATTRIBUTE_PREFIX, CREATION_TIME_FIELD, encodeMetadata, LAST_ACCESSED_TIME_FIELD, MAX_INACTIVE_INTERVAL_FIELD } from '@lapse/repository/internal';
import type { SessionData } from 'express-session';
import { cookieValuesOf, decodeCookie, derivedAccessTime, encodeCookie, expiresMillis, type CookieValues } from './cookieCodec.js';
import type { PrincipalOf, StoreSerializer, TtlOf } from './LapseStoreOptions.js';
import { attributeValue, isAttributeField, type StoredSession } from './StoredSession.js';

/** The attribute holding the whole session when a connect-redis `serializer` is given. */
export const SERIALIZED_ATTRIBUTE = 'lapse.serialized';

/** The cookie express-session gives a session that has none (one created by another application). */
export const DEFAULT_COOKIE = Object.freeze({ originalMaxAge: null, expires: null, httpOnly: true, path: '/' });

/** How far in the past a cookie's `expires - originalMaxAge` may lie and still be the access time (a long request). */
const ACCESS_TIME_WINDOW_MS = 60 * 60 * 1000;

const COOKIE_FIELD = `${ATTRIBUTE_PREFIX}cookie`;
const SERIALIZED_FIELD = ATTRIBUTE_PREFIX + SERIALIZED_ATTRIBUTE;

/** A session's times as the store writes them. */
export interface SessionLifetime {
  /** `lastAccessedTime`: the cookie's `expires - originalMaxAge` when it has both, else now. */
  readonly lastAccessedTime: number;
  /** `maxInactiveInterval` in seconds; -1 with `disableTTL`. */
  readonly maxInactiveInterval: number;
}

/** What the codec needs of the store's configuration. */
export interface SessionCodecOptions {
  readonly serializer: SessionSerializer;
  readonly storeSerializer: StoreSerializer;
  readonly ttl: number | TtlOf;
  readonly disableTTL: boolean;
  /** The `principal` option: a function of the data, or the name of the attribute holding the user name. */
  readonly principal: PrincipalOf | string | undefined;
  readonly principalNameResolver: PrincipalNameResolver;
}

/**
 * Turns express-session data into the session hash's fields and back: each top-level key is an
 * attribute in JSON (`sessionAttr:<key>`), the cookie in its compact form, the principal in
 * lapse's short attribute (or Spring's long one when the repository's resolver does not read
 * the short one; with `principal` naming an attribute, in that attribute, stored as any other),
 * the whole session in one attribute when a connect-redis serializer is given.
 */
export class SessionCodec {
  readonly #options: SessionCodecOptions;
  /** The hash field the principal is stored in. */
  readonly principalField: string;
  /** Whether `principal` names an attribute (the principal field is then an attribute of the data). */
  readonly #principalAttribute: boolean;
  readonly #json: boolean;
  readonly #serialized: boolean;
  readonly #serialize: (value: unknown) => string;
  /** The last compact cookie serialized, and its text: most sessions share their cookie's settings. */
  #lastCookie: unknown[] = [];
  #lastCookieText = '';

  constructor(options: SessionCodecOptions) {
    this.#options = options;
    const short = options.principalNameResolver.attributeNames.includes(LAPSE_PRINCIPAL_ATTRIBUTE);
    this.#principalAttribute = typeof options.principal === 'string';
    const field = typeof options.principal === 'string' ? options.principal : short ? LAPSE_PRINCIPAL_ATTRIBUTE : PRINCIPAL_NAME_INDEX_NAME;
    this.principalField = ATTRIBUTE_PREFIX + field;
    this.#json = options.serializer instanceof JsonSessionSerializer;
    this.#serialized = options.storeSerializer !== JSON;
    const { serializer } = options;
    this.#serialize = (value) => serializer.serialize(value);
  }

  /** The session's cookie as the write path reads it (read once per write, given to the methods below), or `null`. */
  cookieOf(data: SessionData): CookieValues | null {
    return cookieValuesOf((data as { cookie?: unknown }).cookie);
  }

  /** The session's times, or `null` when its cookie (or `ttl`) says it has expired. */
  lifetime(data: SessionData, now: number, cookie: CookieValues | null): SessionLifetime | null {
    const derived = cookie === null ? null : derivedAccessTime(cookie);
    let access = derived !== null && derived <= now + 1000 && derived >= now - ACCESS_TIME_WINDOW_MS ? derived : now;
    if (this.#options.disableTTL) return { lastAccessedTime: access, maxInactiveInterval: -1 };
    const { ttl } = this.#options;
    let deadline: number;
    const expires = (data as { cookie?: { expires?: unknown } }).cookie?.expires;
    if (typeof ttl === 'function') deadline = now + Math.ceil(ttl(data)) * 1000;
    else if (expires) deadline = (cookie === null ? null : expiresMillis(cookie['expires'])) ?? new Date(expires as string).getTime();
    else deadline = now + ttl * 1000;
    if (!Number.isFinite(deadline)) throw new InvalidArgumentError('ttl', `gave an expiry that is not a number (${String(deadline)})`);
    if (deadline <= now) return null;
    if (deadline <= access) access = now;
    return { lastAccessedTime: access, maxInactiveInterval: Math.ceil((deadline - access) / 1000) };
  }

  /** The principal name of `data` (the `principal` option's attribute or function, else the repository's resolver over the data). */
  principalOf(data: SessionData): string | null {
    const read = this.#options.principal;
    const record = data as unknown as Record<string, unknown>;
    const name = typeof read === 'string' ? record[read] : read !== undefined ? read(data) : this.#options.principalNameResolver.resolve((attribute) => record[attribute]);
    return typeof name === 'string' && name.length > 0 ? name : null;
  }

  /** Every field the session's hash should hold (creationTime aside), serialized. */
  fieldsOf(data: SessionData, lifetime: SessionLifetime, principal: string | null, cookie: CookieValues | null): Map<string, string> {
    const serialize = this.#serialize;
    const fields = new Map<string, string>();
    // Metadata as decimal text whatever the serializer (what lapse's scripts and Spring read).
    fields.set(LAST_ACCESSED_TIME_FIELD, encodeMetadata(lifetime.lastAccessedTime));
    fields.set(MAX_INACTIVE_INTERVAL_FIELD, encodeMetadata(lifetime.maxInactiveInterval));
    if (this.#serialized) {
      fields.set(SERIALIZED_FIELD, serialize(this.#options.storeSerializer.stringify(data)));
    } else {
      const managed = this.#options.principal !== undefined;
      const record = data as unknown as Record<string, unknown>;
      for (const name in record) {
        if (!Object.hasOwn(record, name)) continue;
        const value = record[name];
        // `null` is stored as it is (connect-redis gives `{ returnTo: null }` back as it was set).
        if (value === undefined || typeof value === 'function' || name === '__proto__') continue;
        if (name === PRINCIPAL_NAME_INDEX_NAME) {
          if (!managed) fields.set(this.principalField, serialize(value));
          continue;
        }
        if (name === LAPSE_PRINCIPAL_ATTRIBUTE || name === SERIALIZED_ATTRIBUTE) {
          throw new InvalidArgumentError('session', `the key ${JSON.stringify(name)} is reserved by the store`);
        }
        if (name === 'cookie' && cookie !== null) {
          fields.set(COOKIE_FIELD, this.#cookieText(cookie, lifetime.lastAccessedTime));
          continue;
        }
        fields.set(ATTRIBUTE_PREFIX + name, serialize(value));
      }
    }
    // The attribute form stores its attribute as any other (above), unless the session is serialized whole.
    const apart = this.#serialized || (this.#options.principal !== undefined && !this.#principalAttribute);
    if (principal !== null && apart) fields.set(this.principalField, serialize(principal));
    return fields;
  }

  /**
   * What a touch writes: the times, and the cookie only when its stored expiry is derived from
   * them (connect-redis's touch leaves the stored data as it was; a derived expiry moves with
   * `lastAccessedTime`, and a changed `originalMaxAge` must then be stored with it).
   */
  touchFieldsOf(lifetime: SessionLifetime, cookie: CookieValues | null): Map<string, string> {
    const fields = new Map<string, string>();
    // Metadata as decimal text whatever the serializer (what lapse's scripts and Spring read).
    fields.set(LAST_ACCESSED_TIME_FIELD, encodeMetadata(lifetime.lastAccessedTime));
    fields.set(MAX_INACTIVE_INTERVAL_FIELD, encodeMetadata(lifetime.maxInactiveInterval));
    if (!this.#serialized && cookie !== null && derivedAccessTime(cookie) === lifetime.lastAccessedTime) {
      fields.set(COOKIE_FIELD, this.#cookieText(cookie, lifetime.lastAccessedTime));
    }
    return fields;
  }

  /** The cookie's stored text (the serializer's, of its stored form). */
  #cookieText(cookie: CookieValues, accessTime: number): string {
    const stored = encodeCookie(cookie, accessTime);
    if (!Array.isArray(stored)) return this.#serialize(stored);
    const last = this.#lastCookie;
    if (stored.length === last.length && stored.every((value, i) => value === last[i])) return this.#lastCookieText;
    const text = this.#serialize(stored);
    this.#lastCookie = stored;
    this.#lastCookieText = text;
    return text;
  }

  /** The body of the created event: the new session's fields as one serialized map (Spring's form). */
  createdMessage(fields: ReadonlyMap<string, string>): string {
    if (this.#json) {
      let body = '{';
      for (const [field, text] of fields) body += `${body.length > 1 ? ',' : ''}${JSON.stringify(field)}:${text}`;
      return `${body}}`;
    }
    const map: Record<string, unknown> = {};
    for (const [field, text] of fields) {
      // Metadata is decimal text whatever the serializer; attributes are the serializer's.
      map[field] = isAttributeField(field) ? this.#options.serializer.deserialize(text) : Number(text);
    }
    return this.#options.serializer.serialize(map);
  }

  /** The serialized creation time. */
  creationTimeField(time: number): [string, string] {
    return [CREATION_TIME_FIELD, encodeMetadata(time)];
  }

  /**
   * The express-session data of a stored session (a promise only from a connect-redis
   * `serializer`, whose `parse` may be async); `keyOf(id)` gives the hash key for an error.
   */
  toData(id: string, keyOf: (id: string) => string, stored: StoredSession): SessionData | Promise<SessionData> {
    const { serializer } = this.#options;
    const serialized = this.#serialized ? stored.field(SERIALIZED_FIELD) : undefined;
    if (serialized !== undefined) {
      const text = String(attributeValue(id, keyOf, SERIALIZED_FIELD, serialized, serializer));
      return Promise.resolve().then(() => this.#options.storeSerializer.parse(text));
    }
    const data: Record<string, unknown> = {};
    const managed = this.#options.principal !== undefined;
    const principalField = this.principalField;
    const principalAttribute = this.#principalAttribute;
    stored.forEachField((field, text) => {
      if (!isAttributeField(field)) return;
      let name = field.slice(ATTRIBUTE_PREFIX.length);
      if (name === '__proto__') return;
      if (field === principalField && !principalAttribute) {
        if (managed) return;
        name = PRINCIPAL_NAME_INDEX_NAME;
      } else if (managed && (name === PRINCIPAL_NAME_INDEX_NAME || name === LAPSE_PRINCIPAL_ATTRIBUTE)) {
        return; // a principal field as an earlier configuration of LapseStore wrote it: the store's (the next write removes it)
      }
      const value = attributeValue(id, keyOf, field, text, serializer);
      data[name] = field === COOKIE_FIELD ? decodeCookie(value, stored.lastAccessedTime) : value;
    });
    return data as unknown as SessionData;
  }
}
