// The suites' Redis helpers live in the harness package, shared with the other packages' tests.
export { eventually, uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
export type { SuiteRedis } from '@lapse/redis-harness/vitest';
