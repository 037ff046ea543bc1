/**
 * Turns each hash value (metadata fields and every `sessionAttr:<name>`) into the text stored
 * in Redis and back. One value per call, as Spring Session's `RedisSerializer` does.
 */
export interface SessionSerializer {
  /** Text to store. Throws when the value cannot be represented. */
  serialize(value: unknown): string;
  /** The value for stored text. Throws when the text is not valid for this serializer. */
  deserialize(text: string): unknown;
}
