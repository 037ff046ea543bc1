import { defineConfig } from 'vitest/config';

/** Suites that store sessions in Redis: they run once per expiration index kind. */
const REDIS_SUITES = ['integration-tests/test/**/*.test.ts'];

export default defineConfig({
  test: {
    // Each suite starts its own Redis; waits are for real events, bounded by these timeouts.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    allowOnly: false,
    // .ci/run reads this report to refuse skipped tests and print the closing line.
    reporters: process.env.LAPSE_TEST_REPORT ? ['default', ['json', { outputFile: process.env.LAPSE_TEST_REPORT }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'minute-buckets',
          include: [...REDIS_SUITES, 'packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          env: { LAPSE_EXPIRATION_INDEX: 'minute-buckets' },
        },
      },
      {
        extends: true,
        test: {
          name: 'sorted-set',
          include: REDIS_SUITES,
          exclude: ['integration-tests/test/readme.test.ts', 'integration-tests/test/readme-migration.test.ts'],
          env: { LAPSE_EXPIRATION_INDEX: 'sorted-set' },
        },
      },
    ],
  },
});
