// lapse's metadata codec, without a Redis: decimal text whatever the serializer, and what an
// older lapse wrote through a custom serializer read back through it.
import { describe, expect, it } from 'vitest';
import { JsonSessionSerializer, type SessionSerializer } from '../../src/index.js';
import { decodeMetadata, encodeMetadata } from '../../src/internal.js';

/** A serializer that is not JSON and records what it was asked to read. */
function recordingSerializer(): SessionSerializer & { readonly read: string[] } {
  const read: string[] = [];
  return {
    read,
    serialize: (value) => `custom:${String(value)}`,
    deserialize: (text) => {
      read.push(text);
      if (!text.startsWith('custom:')) throw new SyntaxError(`not custom: ${text}`);
      return Number(text.slice('custom:'.length));
    },
  };
}

describe('metadata encoding', () => {
  it('writes decimal text, the text the Lua scripts read with tonumber', () => {
    expect(encodeMetadata(1_439_245_080_000)).toBe('1439245080000');
    expect(encodeMetadata(1800)).toBe('1800');
    expect(encodeMetadata(-1)).toBe('-1');
    expect(encodeMetadata(0)).toBe('0');
  });

  it('reads decimal text itself, never asking the serializer', () => {
    const serializer = recordingSerializer();
    for (const [text, value] of [['1439245080000', 1_439_245_080_000], ['-1', -1], ['0', 0], ['1.5', 1.5], ['007', 7]] as const) {
      expect(decodeMetadata(text, serializer)).toBe(value);
    }
    expect(serializer.read).toEqual([]);
  });

  it('round-trips every value lapse stores as metadata', () => {
    const serializer = recordingSerializer();
    for (const value of [0, 1, -1, 1800, 1_439_245_080_000, Number.MAX_SAFE_INTEGER]) {
      expect(decodeMetadata(encodeMetadata(value), serializer)).toBe(value);
    }
  });

  it("reads anything else through the serializer (an older lapse's custom encoding), throwing what it throws", () => {
    const serializer = recordingSerializer();
    expect(decodeMetadata('custom:1800', serializer)).toBe(1800);
    for (const text of ['1e3', '.5', '1.', '+1', ' 1', '0x10', '']) {
      expect(() => decodeMetadata(text, serializer)).toThrow(SyntaxError);
    }
    expect(serializer.read).toEqual(['custom:1800', '1e3', '.5', '1.', '+1', ' 1', '0x10', '']);
    expect(decodeMetadata('"1800"', new JsonSessionSerializer())).toBe('1800');
  });
});
