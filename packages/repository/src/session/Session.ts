import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import type { SaveMode } from './SaveMode.js';
import { defaultSessionIdGenerator, type SessionIdGenerator } from './SessionIdGenerator.js';
import { registerSessionStateReader, type MetadataField, type SessionState } from './SessionState.js';

/** What a session is made of; used to build one and returned by {@link Session.toJSON}. */
export interface SessionData {
  id: string;
  /** Epoch milliseconds. */
  creationTime: number;
  /** Epoch milliseconds. */
  lastAccessedTime: number;
  /** Seconds; negative means the session never expires. */
  maxInactiveInterval: number;
  /** Attribute values by name. */
  attributes: Record<string, unknown>;
}

/** How a repository builds a session (internal options; most users never construct one). */
export interface SessionInit {
  id: string;
  creationTime: number;
  lastAccessedTime: number;
  maxInactiveInterval: number;
  attributes?: Iterable<readonly [string, unknown]>;
  /**
   * Internal (repositories): `attributes` is a `Map` built for this session alone, with valid
   * names and no null values; the session keeps it instead of copying it.
   */
  adoptAttributes?: boolean;
  /** Whether Redis (or the map) already holds it. Default `false`: a new session. */
  persisted?: boolean;
  saveMode?: SaveMode;
  idGenerator?: SessionIdGenerator;
  /** The principal name as stored (for persisted sessions). */
  persistedPrincipal?: string | null;
  /** Makes the new id for {@link Session.changeSessionId}; default: `idGenerator.generate()`. */
  changeId?: (current: string) => string;
}

function checkTime(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(name, `must be a finite number of epoch milliseconds, got ${String(value)}`);
  }
  return Math.trunc(value);
}

function checkInterval(value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidArgumentError('maxInactiveInterval', `must be an integer number of seconds, got ${String(value)}`);
  }
  return value;
}

function checkAttributeName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError('attribute name', `must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * A web session: an id, its times, and named attributes. Changes are tracked so that
 * `repository.save(session)` writes only what changed (and nothing at all when nothing did).
 *
 * @example
 * ```ts
 * const session = await repository.createSession();
 * session.setAttribute('cart', { items: 3 });
 * await repository.save(session);
 * ```
 */
export class Session {
  #id: string;
  #creationTime: number;
  #lastAccessedTime: number;
  #maxInactiveInterval: number;
  readonly #attributes: Map<string, unknown>;
  readonly #state: SessionState;

  static {
    registerSessionStateReader((session) => (#state in session ? session.#state : undefined));
  }

  constructor(init: SessionInit) {
    this.#id = init.id;
    this.#creationTime = checkTime('creationTime', init.creationTime);
    this.#lastAccessedTime = checkTime('lastAccessedTime', init.lastAccessedTime);
    this.#maxInactiveInterval = checkInterval(init.maxInactiveInterval);
    if (init.adoptAttributes === true && init.attributes instanceof Map) {
      this.#attributes = init.attributes as Map<string, unknown>;
    } else {
      this.#attributes = new Map();
      for (const [name, value] of init.attributes ?? []) {
        if (value !== null && value !== undefined) this.#attributes.set(checkAttributeName(name), value);
      }
    }
    const persisted = init.persisted === true;
    this.#state = {
      attributes: this.#attributes,
      isNew: !persisted,
      persistedId: persisted ? init.id : null,
      // Created at the first change or read: most loaded sessions are never changed.
      changedMetadata: null,
      changedAttributes: null,
      readAttributes: null,
      saveMode: init.saveMode ?? 'on-set-attribute',
      persistedExpiresAt:
        persisted && this.#maxInactiveInterval >= 0 ? this.#lastAccessedTime + this.#maxInactiveInterval * 1000 : null,
      persistedPrincipal: persisted ? (init.persistedPrincipal ?? null) : null,
      idGenerator: init.idGenerator ?? defaultSessionIdGenerator,
      changeId: init.changeId ?? null,
      onChange: null,
      saveInFlight: null,
    };
  }

  /** The session id (changes with {@link changeSessionId}). */
  get id(): string {
    return this.#id;
  }

  /** When the session was created, in epoch milliseconds. */
  get creationTime(): number {
    return this.#creationTime;
  }

  /** When the session was last used, in epoch milliseconds. Set it on each request to keep the session alive. */
  get lastAccessedTime(): number {
    return this.#lastAccessedTime;
  }

  set lastAccessedTime(value: number) {
    this.#lastAccessedTime = checkTime('lastAccessedTime', value);
    this.#changed('lastAccessedTime');
  }

  /** Seconds of inactivity after which the session expires; negative means never. */
  get maxInactiveInterval(): number {
    return this.#maxInactiveInterval;
  }

  set maxInactiveInterval(value: number) {
    this.#maxInactiveInterval = checkInterval(value);
    this.#changed('maxInactiveInterval');
  }

  /** The attribute's value, or `undefined` when it is not set. */
  getAttribute<T = unknown>(name: string): T | undefined {
    const value = this.#attributes.get(name);
    if (value !== undefined) (this.#state.readAttributes ??= new Set()).add(name);
    return value as T | undefined;
  }

  /** Sets an attribute; `null` or `undefined` removes it. */
  setAttribute(name: string, value: unknown): void {
    checkAttributeName(name);
    if (value === null || value === undefined) {
      this.removeAttribute(name);
      return;
    }
    this.#attributes.set(name, value);
    this.#changed(null, name);
  }

  /** Removes an attribute (a save deletes its hash field). */
  removeAttribute(name: string): void {
    checkAttributeName(name);
    this.#attributes.delete(name);
    this.#changed(null, name);
  }

  /** The names of the attributes that are set. */
  getAttributeNames(): string[] {
    return [...this.#attributes.keys()];
  }

  /**
   * Whether the session has expired at `now` (epoch ms, default `Date.now()`): Spring's rule,
   * `now - maxInactiveInterval >= lastAccessedTime`, never for a negative interval.
   */
  isExpired(now: number = Date.now()): boolean {
    if (this.#maxInactiveInterval < 0) return false;
    return now - this.#maxInactiveInterval * 1000 >= this.#lastAccessedTime;
  }

  /**
   * Gives the session a new id (against session fixation, e.g. at login) and returns it.
   * The next save moves the stored session, its indexes and its TTLs to the new id.
   */
  changeSessionId(): string {
    const state = this.#state;
    this.#id = state.changeId === null ? state.idGenerator.generate() : state.changeId(this.#id);
    state.onChange?.(this);
    return this.#id;
  }

  /** A plain copy of the session's data. */
  toJSON(): SessionData {
    return {
      id: this.#id,
      creationTime: this.#creationTime,
      lastAccessedTime: this.#lastAccessedTime,
      maxInactiveInterval: this.#maxInactiveInterval,
      attributes: Object.fromEntries(this.#attributes),
    };
  }

  #changed(field: MetadataField | null, attribute?: string): void {
    const state = this.#state;
    if (field !== null) (state.changedMetadata ??= new Set()).add(field);
    if (attribute !== undefined) (state.changedAttributes ??= new Set()).add(attribute);
    state.onChange?.(this);
  }
}
