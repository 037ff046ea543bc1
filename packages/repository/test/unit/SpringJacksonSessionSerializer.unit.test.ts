// The Spring JSON serializer against Spring's and Jackson's documented output (fixtures in
// test/fixtures/spring-jackson, each naming where it comes from). The same serializer through a real
// Redis: integration-tests/test/spring-jackson.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRINCIPAL_NAME_INDEX_NAME, SPRING_SECURITY_CONTEXT, defaultPrincipalNameResolver } from '../../src/principal/PrincipalNameResolver.js';
import { SpringJacksonSessionSerializer } from '../../src/serializer/SpringJacksonSessionSerializer.js';

const serializer = new SpringJacksonSessionSerializer();

interface TextFixture {
  readonly source: string;
  readonly text: string;
  readonly principalName?: string;
  readonly expected?: { creationTime: number; lastAccessedTime: number; maxInactiveInterval: number; attributes: Record<string, unknown> };
}
interface HashFixture {
  readonly source: string;
  readonly fields: Record<string, string>;
  readonly expected: { creationTime: number; lastAccessedTime: number; maxInactiveInterval: number; attributes: Record<string, unknown> };
}
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/spring-jackson/${name}`, import.meta.url), 'utf8')) as T;
}

describe('SpringJacksonSessionSerializer: writing', () => {
  it('writes Jackson default typing: numbers plain (Spring Security\'s allowlist refuses a java.lang.Long type id), Integer/Double/String/Boolean natural, lists and maps with their class', () => {
    // A live Spring with Security's Jackson modules reads a plain integer back as an Integer when it
    // fits, else as a Long, and fails on ["java.lang.Long",n] (integration-tests/test/spring-interop).
    expect(serializer.serialize(1_700_000_000_000)).toBe('1700000000000');
    expect(serializer.serialize(1800)).toBe('1800');
    expect(serializer.serialize(-(2 ** 31))).toBe(String(-(2 ** 31)));
    expect(serializer.serialize(2 ** 31)).toBe('2147483648');
    expect(serializer.serialize(0.75)).toBe('0.75');
    expect(serializer.serialize('ada')).toBe('"ada"');
    expect(serializer.serialize(true)).toBe('true');
    expect(serializer.serialize(null)).toBe('null');
    expect(serializer.serialize(['book', 3_000_000_000])).toBe('["java.util.ArrayList",["book",3000000000]]');
    expect(serializer.serialize({ theme: 'dark', sizes: [1, 2], skipped: undefined })).toBe(
      '{"@class":"java.util.HashMap","theme":"dark","sizes":["java.util.ArrayList",[1,2]]}',
    );
  });

  it('refuses what JSON or a JS number cannot hold exactly', () => {
    expect(() => serializer.serialize(Number.NaN)).toThrow(TypeError);
    expect(() => serializer.serialize(2 ** 60)).toThrow(RangeError);
    expect(() => serializer.serialize(10n)).toThrow(TypeError);
    expect(() => serializer.serialize(() => 1)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => serializer.serialize(cyclic)).toThrow(/cyclic/);
  });

  it('round-trips every JSON type, nested', () => {
    const values: unknown[] = [
      'text', '', true, false, null, 0, -5, 2 ** 31 - 1, 2 ** 31, -(2 ** 40), 1.5, Number.MAX_SAFE_INTEGER,
      [], ['a', 1, 1.5, 4_000_000_000, [true, null]],
      {}, { a: { b: { c: [1, { d: 'e' }] } }, n: 2 ** 33 },
    ];
    for (const value of values) expect(serializer.deserialize(serializer.serialize(value)), JSON.stringify(value)).toEqual(value);
  });
});

describe('SpringJacksonSessionSerializer: reading Spring\'s output', () => {
  it('reads a Spring-written session hash field by field (fixture session-hash.json)', () => {
    const { fields, expected } = fixture<HashFixture>('session-hash.json');
    expect(serializer.deserialize(fields['creationTime']!)).toBe(expected.creationTime);
    expect(serializer.deserialize(fields['lastAccessedTime']!)).toBe(expected.lastAccessedTime);
    expect(serializer.deserialize(fields['maxInactiveInterval']!)).toBe(expected.maxInactiveInterval);
    for (const [name, value] of Object.entries(expected.attributes)) {
      expect(serializer.deserialize(fields[`sessionAttr:${name}`]!), name).toEqual(value);
    }
    // Written back, each value is the text Spring wrote (the same JSON), but for typed Longs,
    // written as plain numbers (what a Spring with Security's Jackson modules reads).
    const plainLongs = (text: string): string => text.replace(/\["java\.lang\.Long",(-?\d+)\]/g, '$1');
    for (const [field, text] of Object.entries(fields)) {
      expect(JSON.parse(serializer.serialize(serializer.deserialize(text))), field).toEqual(JSON.parse(plainLongs(text)));
    }
  });

  it('reads the created message body (fixture created-message.json)', () => {
    const { text, expected } = fixture<TextFixture>('created-message.json');
    expect(serializer.deserialize(text)).toEqual({
      creationTime: expected!.creationTime,
      maxInactiveInterval: expected!.maxInactiveInterval,
      lastAccessedTime: expected!.lastAccessedTime,
      'sessionAttr:name': 'ada',
    });
  });

  for (const name of ['security-context-string-principal.json', 'security-context-user-principal.json']) {
    it(`reads Spring Security's context and its principal name, and writes it back unchanged (fixture ${name})`, () => {
      const { text, principalName } = fixture<TextFixture>(name);
      const context = serializer.deserialize(text);
      const attributes = new Map<string, unknown>([[SPRING_SECURITY_CONTEXT, context]]);
      expect(defaultPrincipalNameResolver.resolve((attribute) => attributes.get(attribute))).toBe(principalName);
      // The explicit attribute still wins, as in Spring.
      attributes.set(PRINCIPAL_NAME_INDEX_NAME, 'explicit');
      expect(defaultPrincipalNameResolver.resolve((attribute) => attributes.get(attribute))).toBe('explicit');
      // Classes kept, nothing added (the derived name is not written).
      expect(JSON.parse(serializer.serialize(context))).toEqual(JSON.parse(text));
    });
  }

  it('reads Long, Integer and the other number wrappers, and untyped primitive arrays', () => {
    expect(serializer.deserialize('["java.lang.Integer",7]')).toBe(7);
    expect(serializer.deserialize('["java.lang.Short",7]')).toBe(7);
    expect(serializer.deserialize('["java.lang.Float",1.5]')).toBe(1.5);
    expect(serializer.deserialize('["java.math.BigDecimal",1000]')).toBe(1000);
    expect(serializer.deserialize('[1,2,3]')).toEqual([1, 2, 3]);
    expect(serializer.deserialize('{"@class":"java.util.LinkedHashMap","k":["java.lang.Long",5]}')).toEqual({ k: 5 });
  });

  it('refuses typed values it does not map, integers beyond 2^53 and absurd nesting, rather than guess', () => {
    expect(() => serializer.deserialize('["java.util.Date",1700000000000]')).toThrow(/java\.util\.Date/);
    expect(() => serializer.deserialize('["java.lang.Long",9007199254740993]')).toThrow(RangeError);
    expect(() => serializer.deserialize('{"@class":42}')).toThrow(/@class/);
    expect(() => serializer.deserialize(`${'["java.util.ArrayList",'.repeat(200)}[]${']'.repeat(200)}`)).toThrow(/nested/);
  });

  it('is safe from prototype pollution', () => {
    const read = serializer.deserialize(
      '["java.util.ArrayList",[{"@class":"java.util.HashMap","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}]]',
    ) as Record<string, unknown>[];
    expect(read).toEqual([{ ok: 1 }]);
    expect(Object.getPrototypeOf(read[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const written = serializer.serialize(JSON.parse('{"__proto__":{"polluted":true},"ok":1}'));
    expect(written).toBe('{"@class":"java.util.HashMap","ok":1}');
  });
});
