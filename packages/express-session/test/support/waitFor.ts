// Shared with the other packages' tests.
export { eventually as waitFor } from '@lapse/redis-harness/vitest';
