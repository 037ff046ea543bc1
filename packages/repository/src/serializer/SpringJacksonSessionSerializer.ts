import type { SessionSerializer } from './SessionSerializer.js';

/** Spring Security's session attribute value class, whose `authentication` names the user. */
export const SPRING_SECURITY_CONTEXT_CLASS = 'org.springframework.security.core.context.SecurityContextImpl';

/** The Java class a value read from Jackson's format had, kept (not enumerable) so writing it back keeps it. */
const JAVA_CLASS = Symbol('lapse.javaClass');
/** A Java class name as Jackson writes it in a type id (`java.util.Collections$UnmodifiableSet`). */
const CLASS_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
/** Deeper than this is refused: a session attribute has no business nesting further. */
const MAX_DEPTH = 64;

/** Scalar wrapper classes read as a JS number. */
const NUMBER_CLASSES = new Set([
  'java.lang.Long',
  'java.lang.Integer',
  'java.lang.Short',
  'java.lang.Byte',
  'java.lang.Double',
  'java.lang.Float',
  'java.math.BigDecimal',
  'java.math.BigInteger',
]);

// ---------------------------------------------------------------------------------------------
// Numbers. Jackson types a Long only where the declared type is Object inside a container
// (`["java.lang.Long",n]` in a list or map, and in the map of Spring's created message), never
// at the top of a hash value, and never a "natural" Integer, Double, String or Boolean. Spring
// Security's Jackson modules (what Spring's docs configure for sharing sessions) refuse
// `java.lang.Long` as a type id: such a Spring fails on `["java.lang.Long",n]`, its own included.
// A plain integer is read by Jackson as an Integer when it fits, else as a Long. So lapse writes
// every number plain, and reads the typed form too.
// ---------------------------------------------------------------------------------------------

/** A JS number as Jackson reads it back into Integer, Long or Double: plain JSON. */
function javaNumber(value: number): unknown {
  if (!Number.isFinite(value)) throw new TypeError(`${value} is not representable in JSON`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new RangeError(`${value} is beyond the integers a JS number holds exactly`);
  return value;
}

/** A typed scalar read back as a JS number (exact integers only). */
function readNumber(javaClass: string, inner: unknown): number {
  const value = typeof inner === 'string' && javaClass.startsWith('java.math.') ? Number(inner) : inner;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${javaClass} holds ${JSON.stringify(inner)}, not a number`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new RangeError(`${javaClass} ${value} is beyond the integers a JS number holds exactly`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Attribute side: the values of sessionAttr:* fields.
// ---------------------------------------------------------------------------------------------

/** Drops keys that could reach `Object.prototype` once parsed data is merged somewhere. */
function dropPrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value) return undefined;
  return value;
}

function remember<T extends object>(target: T, javaClass: string): T {
  Object.defineProperty(target, JAVA_CLASS, { value: javaClass, enumerable: false });
  return target;
}

/**
 * Spring Security's `AbstractAuthenticationToken.getName()` for the JSON of its principal: a
 * string principal is the name; a `UserDetails` gives `username`; a `Principal` gives `name`.
 */
function principalName(authentication: Record<string, unknown>): string | null {
  const principal = authentication['principal'];
  if (typeof principal === 'string') return principal;
  if (principal !== null && typeof principal === 'object' && !Array.isArray(principal)) {
    const { username, name } = principal as Record<string, unknown>;
    if (typeof username === 'string') return username;
    if (typeof name === 'string') return name;
  }
  return null;
}

/** Jackson JSON (already parsed) to plain JS values. */
function fromJackson(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value !== 'object') return value; // natural: string, boolean, Integer, Double, null
  if (Array.isArray(value)) {
    const [javaClass, inner] = value as unknown[];
    if (value.length !== 2 || typeof javaClass !== 'string' || !CLASS_NAME.test(javaClass)) {
      // An untyped array (Jackson leaves primitive arrays such as int[] untyped).
      return value.map((item) => fromJackson(item, depth + 1));
    }
    if (Array.isArray(inner)) return remember(inner.map((item) => fromJackson(item, depth + 1)), javaClass);
    if (NUMBER_CLASSES.has(javaClass)) return readNumber(javaClass, inner);
    if (javaClass === 'java.lang.String' && typeof inner === 'string') return inner;
    if (javaClass === 'java.lang.Boolean' && typeof inner === 'boolean') return inner;
    throw new TypeError(`unsupported Java value ${javaClass} (${JSON.stringify(inner)})`);
  }
  const record = value as Record<string, unknown>;
  const javaClass = record['@class'];
  if (javaClass !== undefined && (typeof javaClass !== 'string' || !CLASS_NAME.test(javaClass))) {
    throw new TypeError(`"@class" must name a Java class, got ${JSON.stringify(javaClass)}`);
  }
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (key !== '@class') result[key] = fromJackson(record[key], depth + 1);
  }
  if (javaClass === SPRING_SECURITY_CONTEXT_CLASS) {
    const authentication = result['authentication'];
    if (authentication !== null && typeof authentication === 'object' && !Array.isArray(authentication)) {
      const fields = authentication as Record<string, unknown>;
      const name = principalName(fields);
      // Not enumerable: read by the principal resolver (`authentication.name`), never written back.
      if (name !== null && typeof fields['name'] !== 'string') Object.defineProperty(fields, 'name', { value: name, enumerable: false });
    }
  }
  return javaClass === undefined ? result : remember(result, javaClass);
}

/** Plain JS values to Jackson JSON (before stringifying). */
function toJackson(value: unknown, ancestors: object[]): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return javaNumber(value);
  if (typeof value !== 'object') throw new TypeError(`${typeof value} is not representable in JSON`);
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return toJackson(withJson.toJSON(), ancestors);
  if (ancestors.includes(value)) throw new TypeError('a cyclic value is not representable in JSON');
  if (ancestors.length > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`);
  const inside = [...ancestors, value];
  const javaClass = (value as { [JAVA_CLASS]?: string })[JAVA_CLASS];
  if (Array.isArray(value)) {
    return [javaClass ?? 'java.util.ArrayList', value.map((item: unknown) => (item === undefined ? null : toJackson(item, inside)))];
  }
  const result: Record<string, unknown> = { '@class': javaClass ?? 'java.util.HashMap' };
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (key === '__proto__' || key === '@class' || item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    Object.defineProperty(result, key, { value: toJackson(item, inside), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/**
 * Reads and writes the JSON of Spring Data Redis's `GenericJackson2JsonRedisSerializer`, the
 * usual JSON `RedisSerializer` of Spring Session: Jackson with default typing, type ids in
 * `"@class"` properties for objects and in `[class, value]` pairs for other values. Pass it
 * as the repository's `serializer` to share sessions with such a Spring application.
 *
 * Mapping, both ways:
 * - strings, booleans, `null` and numbers are plain JSON (Jackson reads an integer back as an
 *   Integer when it fits 32 bits, else as a Long; other numbers as Doubles), which a Spring
 *   configured with Spring Security's Jackson modules reads (it refuses `["java.lang.Long",n]`);
 *   typed numbers (`["java.lang.Long",n]`, Short, Byte, Float, BigDecimal, BigInteger), as
 *   Jackson writes them inside lists and maps, are read as numbers;
 * - arrays are `["java.util.ArrayList",[…]]` and objects `{"@class":"java.util.HashMap",…}`;
 *   an array or object read from Spring keeps its Java class (e.g.
 *   `java.util.Collections$UnmodifiableSet`, or a class of Spring Security) when written back;
 * - `SPRING_SECURITY_CONTEXT` (a `SecurityContextImpl`) is read as an object whose
 *   `authentication.name` is the principal's name (a string principal, or the principal's
 *   `username` or `name`), so the principal index finds Spring Security's sessions.
 *
 * Not supported: typed scalars of other classes (a `java.util.Date`, an enum) are refused when
 * read (the session reads as corrupt); integers beyond 2^53 are refused both ways; a number read
 * as a Long but small enough for an Integer is read back by Spring as an Integer (as Spring's own
 * plain Longs are). Parsing drops
 * `__proto__` and `constructor.prototype` keys, and refuses nesting deeper than 64 levels.
 *
 * @example
 * ```ts
 * const repository = new RedisIndexedSessionRepository(redis, { serializer: new SpringJacksonSessionSerializer() });
 * ```
 */
export class SpringJacksonSessionSerializer implements SessionSerializer {
  /** Spring's JSON serializer writes set members as JSON strings too: lapse files sessions so. */
  readonly setMembersAsJson = true;

  serialize(value: unknown): string {
    return JSON.stringify(toJackson(value, []));
  }

  deserialize(text: string): unknown {
    return fromJackson(JSON.parse(text, dropPrototypeKeys), 0);
  }
}
