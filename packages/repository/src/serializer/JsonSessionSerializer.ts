import type { SessionSerializer } from './SessionSerializer.js';

/**
 * Keys that could reach `Object.prototype` if parsed data is later merged into an object.
 * Dropped while parsing, as secure-json-parse does.
 */
function rejectPrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value) {
    return undefined;
  }
  return value;
}

/** JSON for an integer that a double holds exactly (up to 15 digits), as JSON.parse reads it. */
const PLAIN_INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;
/** A JSON string without escapes or control characters: its text is what lies between the quotes. */
const PLAIN_STRING = /^"[^"\\\u0000-\u001f]*"$/;

/**
 * The default serializer: each value as JSON, so Spring Session configured with a JSON
 * `RedisSerializer` reads the same hash (numbers for `creationTime`, `lastAccessedTime`,
 * `maxInactiveInterval`). Parsing drops `__proto__` and `constructor.prototype` keys.
 * `undefined`, functions, symbols, `BigInt` and cycles are refused.
 */
export class JsonSessionSerializer implements SessionSerializer {
  serialize(value: unknown): string {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new TypeError(`${typeof value} is not representable in JSON`);
    }
    return text;
  }

  deserialize(text: string): unknown {
    // Most values in a session hash are times and short strings: read those directly (a
    // findById parses every field, and JSON.parse was its largest own cost).
    const first = text.charCodeAt(0);
    if (first === 34 /* " */) {
      if (PLAIN_STRING.test(text)) return text.slice(1, -1);
    } else if ((first >= 48 && first <= 57) || first === 45 /* 0-9, - */) {
      if (PLAIN_INTEGER.test(text)) return Number(text);
    }
    // The reviver costs a call per value: only text that could hold such a key needs it.
    return text.includes('__proto__') || text.includes('constructor') ? JSON.parse(text, rejectPrototypeKeys) : JSON.parse(text);
  }
}
