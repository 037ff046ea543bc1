// The suites' Redis helpers live in the harness package, shared with the other packages' tests.
export { decodeAttribute, encodeAttribute, eventually, serializerOptions, TEST_SERIALIZER, TEST_SERIALIZER_KIND, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
export type { SuiteRedis } from '@lapse/redis-harness/vitest';
