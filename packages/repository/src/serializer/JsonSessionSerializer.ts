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
    // The reviver costs a call per value: only text that could hold such a key needs it.
    return text.includes('__proto__') || text.includes('constructor') ? JSON.parse(text, rejectPrototypeKeys) : JSON.parse(text);
  }
}
