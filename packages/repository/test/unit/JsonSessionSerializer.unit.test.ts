// The default serializer, without a Redis: JSON that Spring's JSON serializers read, its fast
// paths giving what JSON.parse gives, and parsing that cannot reach Object.prototype.
import { describe, expect, it } from 'vitest';
import { JsonSessionSerializer } from '../../src/index.js';

const serializer = new JsonSessionSerializer();

describe('JsonSessionSerializer', () => {
  it('reads what JSON.parse reads, on its fast paths and off them', () => {
    for (const text of ['0', '-0', '42', '-7', '123456789012345', '1234567890123456789', '1.5', '1e3', '""', '"ada"', '"a\\"b"', '"\\u00e9"', 'true', 'null', '[1,"x",{"a":null}]', '{"n":{"m":[]}}']) {
      expect(serializer.deserialize(text)).toEqual(JSON.parse(text));
    }
  });

  it('writes JSON and refuses what JSON cannot hold', () => {
    expect(serializer.serialize({ a: [1, 'x', null], b: true })).toBe('{"a":[1,"x",null],"b":true}');
    expect(() => serializer.serialize(undefined)).toThrow(TypeError);
    expect(() => serializer.serialize(() => 1)).toThrow(TypeError);
    expect(() => serializer.serialize(Symbol('s'))).toThrow(TypeError);
    expect(() => serializer.serialize(10n)).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => serializer.serialize(cycle)).toThrow(TypeError);
  });

  it('drops __proto__ keys at any depth, so merging the value cannot pollute Object.prototype', () => {
    const value = serializer.deserialize('{"a":1,"__proto__":{"polluted":true},"nested":{"__proto__":{"polluted":true},"b":2},"list":[{"__proto__":{"polluted":true}}]}') as Record<string, unknown>;
    expect(value).toEqual({ a: 1, nested: { b: 2 }, list: [{}] });
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    const merged = Object.assign({}, value, value.nested);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops constructor.prototype, and keeps a constructor key that holds no prototype', () => {
    expect(serializer.deserialize('{"constructor":{"prototype":{"polluted":true}},"x":1}')).toEqual({ x: 1 });
    expect(serializer.deserialize('{"constructor":"Ada","x":1}')).toEqual({ constructor: 'Ada', x: 1 });
    expect(serializer.deserialize('{"constructor":{"name":"Ada"}}')).toEqual({ constructor: { name: 'Ada' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a string that merely contains the words', () => {
    expect(serializer.deserialize('"__proto__"')).toBe('__proto__');
    expect(serializer.deserialize('{"note":"constructor and __proto__"}')).toEqual({ note: 'constructor and __proto__' });
  });
});
