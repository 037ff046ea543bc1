import { deserialize, serialize } from 'node:v8';

/**
 * The serializer a suite's repositories store attributes with: the suites run once more with a
 * serializer that is not JSON (vitest projects in vitest.config.ts set `LAPSE_SERIALIZER`), to
 * prove lapse's scripts never read an attribute's or a metadata field's text as JSON.
 */
export type TestSerializerKind = 'json' | 'v8';

/** A `SessionSerializer` of `@lapse/repository`, structurally (the harness does not depend on lapse). */
export interface TestSerializer {
  serialize(value: unknown): string;
  deserialize(text: string): unknown;
}

/** A serializer that is not JSON: V8's structured clone (`node:v8` `serialize`) as base64. */
export const v8Base64Serializer: TestSerializer = Object.freeze({
  serialize: (value: unknown): string => serialize(value).toString('base64'),
  deserialize: (text: string): unknown => deserialize(Buffer.from(text, 'base64')) as unknown,
});

/** This run's serializer kind (`LAPSE_SERIALIZER`, default json). */
export const TEST_SERIALIZER_KIND: TestSerializerKind = parseSerializerKind(process.env.LAPSE_SERIALIZER);

function parseSerializerKind(value: string | undefined): TestSerializerKind {
  if (value === undefined || value === '' || value === 'json') return 'json';
  if (value === 'v8') return value;
  throw new Error(`LAPSE_SERIALIZER must be json or v8, got ${JSON.stringify(value)}`);
}

/**
 * The serializer to give repositories in this run: {@link v8Base64Serializer} with
 * `LAPSE_SERIALIZER=v8`, `undefined` (lapse's default JSON serializer) otherwise.
 */
export const TEST_SERIALIZER: TestSerializer | undefined = TEST_SERIALIZER_KIND === 'v8' ? v8Base64Serializer : undefined;

/** Repository options that select this run's serializer: `{ serializer }` with v8, `{}` with JSON (spread them first; options given win). */
export function serializerOptions(): { serializer?: TestSerializer } {
  return TEST_SERIALIZER === undefined ? {} : { serializer: TEST_SERIALIZER };
}

/** An attribute's stored text read back as this run's serializer wrote it (JSON by default). */
export function decodeAttribute(text: string): unknown {
  return TEST_SERIALIZER === undefined ? (JSON.parse(text) as unknown) : TEST_SERIALIZER.deserialize(text);
}

/** A value as this run's serializer stores it (JSON text by default). */
export function encodeAttribute(value: unknown): string {
  return TEST_SERIALIZER === undefined ? JSON.stringify(value) : TEST_SERIALIZER.serialize(value);
}
