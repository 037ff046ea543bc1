// Shared with the other packages' tests.
export { uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
export type { SuiteRedis } from '@lapse/redis-harness/vitest';
