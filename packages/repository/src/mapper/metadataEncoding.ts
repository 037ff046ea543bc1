import type { SessionSerializer } from '../serializer/SessionSerializer.js';

/** A stored metadata value lapse wrote itself: an integer or decimal in plain decimal text. */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * lapse's own metadata fields (`creationTime`, `lastAccessedTime`, `maxInactiveInterval`) are
 * stored as decimal text whatever the {@link SessionSerializer}: the encoding the JSON
 * serializer (and Spring's JSON serializers) write for them, and what lapse's Lua scripts read
 * (`tonumber`), so expiration cleanup works with any serializer. Attributes keep the
 * serializer's encoding.
 */
export function encodeMetadata(value: number): string {
  return String(value);
}

/**
 * A stored metadata value: decimal text as {@link encodeMetadata} writes it; anything else
 * (written by an older lapse with a custom serializer) through the serializer. Throws what
 * the serializer throws.
 */
export function decodeMetadata(text: string, serializer: SessionSerializer): unknown {
  return DECIMAL.test(text) ? Number(text) : serializer.deserialize(text);
}
