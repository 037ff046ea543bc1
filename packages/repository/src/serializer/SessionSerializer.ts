/**
 * Turns each attribute value (`sessionAttr:<name>`) into the text stored in Redis and back, and
 * the body of the created event. One value per call, as Spring Session's `RedisSerializer`
 * does. lapse's own metadata fields (`creationTime`, `lastAccessedTime`, `maxInactiveInterval`)
 * are always stored as decimal text, which is what the JSON serializer writes for them too: the
 * Lua scripts read them, so expiration cleanup works whatever the serializer.
 */
export interface SessionSerializer {
  /** Text to store. Throws when the value cannot be represented. */
  serialize(value: unknown): string;
  /** The value for stored text. Throws when the text is not valid for this serializer. */
  deserialize(text: string): unknown;
  /**
   * `true`: lapse writes the members of Spring's sets (principal index `"<id>"`, minute bucket
   * `"expires:<id>"`) as JSON strings, as Spring Session writes them through Spring's JSON
   * serializer, so that Spring reads them. Default: plain text (`<id>`, `expires:<id>`). lapse
   * reads and removes both forms either way.
   */
  readonly setMembersAsJson?: boolean;
}
