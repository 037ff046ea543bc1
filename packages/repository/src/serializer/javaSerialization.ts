/**
 * Java serialization's stream header (`0xACED0005`) as a client gives it in a string: decoded as
 * UTF-8 (the two bytes are invalid there: U+FFFD twice) or as latin1.
 */
const JAVA_STREAM_HEADERS = ['\uFFFD\uFFFD\u0000\u0005', '\u00AC\u00ED\u0000\u0005'];

/**
 * Whether a stored value is Java serialization, as Spring Session writes every hash value with
 * its default `JdkSerializationRedisSerializer`: lapse reads JSON (or its own serializer's
 * text), not Java objects.
 */
export function isJavaSerialized(text: string): boolean {
  return JAVA_STREAM_HEADERS.some((header) => text.startsWith(header));
}

/** What a {@link CorruptSessionDataError} says of a Java-serialized value (`what`: `field "creationTime"`, `created event body`). */
export function javaSerializedMessage(what: string): string {
  return (
    `${what} is Java serialization (Spring Session's default JdkSerializationRedisSerializer), which lapse does not read: ` +
    'give Spring a GenericJackson2JsonRedisSerializer bean named springSessionDefaultRedisSerializer, and lapse new SpringJacksonSessionSerializer()'
  );
}
