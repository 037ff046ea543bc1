import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The test matrix. Suites that store sessions through a client run once per client library
 * (`LAPSE_CLIENT`: ioredis 6, node-redis 5, node-redis 6; see `clientUnderTest` in
 * @lapse/redis-harness/vitest) and the integration suites also once per expiration index
 * (`LAPSE_EXPIRATION_INDEX`). To stay under 15 minutes on 2 cores the matrix is trimmed where a
 * cell says nothing new: each client runs the integration suites (single Redis, cluster and
 * faults) with one index, and ioredis runs them with both (the index is client-independent code
 * on the Redis side: the same scripts, sent through the same seam). ioredis with minute buckets
 * runs them once more with a serializer that is not JSON (`LAPSE_SERIALIZER=v8`).
 */

/**
 * Suites of one package's behaviour on a real Redis that run in every integration cell (each
 * client, each expiration index, the v8 serializer): they live beside the package's code, and
 * run where they ran when they were in integration-tests.
 */
const PACKAGE_INTEGRATION = [
  'packages/repository/test/event-stream-retention.test.ts',
  'packages/repository/test/round-trips.test.ts',
  'packages/repository/test/script-key-types.test.ts',
  'packages/repository/test/write-coalescing.test.ts',
  'packages/express-session/test/connect-redis-parity.test.ts',
  'packages/express-session/test/store-expiration-index.test.ts',
  'packages/express-session/test/store-touch-after.test.ts',
];
/** End-to-end suites on a real Redis (single, 3+3 cluster, faults), and the package suites above. */
const INTEGRATION = ['integration-tests/test/**/*.test.ts', ...PACKAGE_INTEGRATION];
/** Suites of the packages built on a client: the store, the CLI, the listener, the examples. */
const CLIENT_SUITES = ['packages/express-session/test/**/*.test.ts', 'packages/cli/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'];
/**
 * Suites that do not depend on the client, or that run every client variant themselves
 * (the seam's own tests, the listener on each client): run once, in the first project.
 */
const ONCE = [
  'integration-tests/test/readme.test.ts',
  'integration-tests/test/readme-migration.test.ts',
  'integration-tests/test/use-in-project.test.ts',
  'examples/express/test/browser.test.ts',
  'examples/fastify/test/browser.test.ts',
  'examples/shared/test/startup.test.ts',
  'integration-tests/test/readme-commands.test.ts',
  'integration-tests/test/public-exports.test.ts',
  'packages/cli/test/terminal.test.ts',
  'integration-tests/test/spring-interop/**/*.test.ts',
];

/**
 * The Spring interop suite builds (Maven) and runs (Java) a Spring Boot application. Without
 * `java` or `mvn` on the PATH it is left out with one line saying so; under `CI=true` that is
 * an error instead (a skipped suite in CI is a failure).
 */
const SPRING_INTEROP = ['integration-tests/test/spring-interop/**/*.test.ts'];
const missingJavaTools = ['java', 'mvn'].filter(
  (tool) =>
    !(process.env.PATH ?? '').split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
);
if (missingJavaTools.length > 0) {
  const why = `${missingJavaTools.join(' and ')} not found on the PATH (it builds and runs a Spring Boot application: install a JDK 17+ and Maven 3.8+)`;
  if (process.env.CI === 'true') throw new Error(`CI=true: the Spring interop suite (integration-tests/test/spring-interop) cannot run: ${why}`);
  // vitest evaluates this file more than once (the root, and per project): one line is enough.
  if (process.env.LAPSE_SPRING_INTEROP_SKIP_SAID !== '1') console.log(`Spring interop suite (integration-tests/test/spring-interop) skipped: ${why}`);
  process.env.LAPSE_SPRING_INTEROP_SKIP_SAID = '1';
}
const ONCE_ONLY = ['packages/repository/test/**/*.test.ts', 'packages/events/test/**/*.test.ts', 'packages/redis-harness/test/**/*.test.ts', 'packages/bench/test/**/*.test.ts'];
/**
 * Tests of pure code that need no Redis (codecs, key layout, script arguments and replies,
 * deadlines, option checks and resolution, the bench's statistics and targets): `*.unit.test.ts`, run once in their own
 * project, alone by `pnpm test:unit`, in seconds and without a build.
 */
const UNIT = ['packages/*/test/**/*.unit.test.ts', 'integration-tests/test/**/*.unit.test.ts'];
/**
 * The suites that run once more with a serializer that is not JSON (`LAPSE_SERIALIZER=v8`: V8's
 * structured clone as base64, see `serializerUnderTest` in @lapse/redis-harness/vitest), on
 * ioredis with minute buckets (the index whose cleanup reads a session's stored metadata): the
 * repository, events, cluster, fault and store suites. Every fault test is kept: the restart and
 * expiry ones read metadata after the outage, the others deliver events whose session data the
 * listener decodes with the serializer, and the whole project takes about 75 s on 2 workers.
 * Tests that compare stored attribute text decode it with the test serializer instead of excluding.
 */
const V8_SERIALIZER = [...INTEGRATION, 'packages/express-session/test/**/*.test.ts'];
const V8_SERIALIZER_EXCLUDE = [
  ...ONCE,
  // Spring's Jackson JSON serializer is the point of this one; it sets its serializer itself.
  'integration-tests/test/spring-jackson.test.ts',
  // Measures ioredis's socket writes (corking), not what is written.
  'packages/repository/test/write-coalescing.test.ts',
  // The one-line migration from connect-redis: its point is the constructor line, which names no serializer.
  'packages/express-session/test/connect-redis-compatibility.test.ts',
];

/** ioredis only: what it tests is ioredis's socket (lapse corks it; node-redis batches a tick itself). */
const IOREDIS_ONLY = ['packages/repository/test/write-coalescing.test.ts'];

export default defineConfig({
  test: {
    // Each suite starts its own Redis; waits are for real events, bounded by these timeouts.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    allowOnly: false,
    // .ci/run reads these counts (per project: client and expiration index) to print them and refuse skipped tests.
    reporters: process.env.LAPSE_TEST_COUNTS ? ['default', './.ci/ProjectCountsReporter.ts'] : ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT },
      },
      {
        extends: true,
        test: {
          name: 'ioredis/minute-buckets',
          include: [...INTEGRATION, ...CLIENT_SUITES, ...ONCE_ONLY],
          exclude: [...UNIT, ...(missingJavaTools.length > 0 ? SPRING_INTEROP : [])],
          env: { LAPSE_CLIENT: 'ioredis', LAPSE_EXPIRATION_INDEX: 'minute-buckets' },
        },
      },
      {
        extends: true,
        test: {
          name: 'ioredis/sorted-set',
          include: INTEGRATION,
          exclude: [...ONCE, ...UNIT],
          env: { LAPSE_CLIENT: 'ioredis', LAPSE_EXPIRATION_INDEX: 'sorted-set' },
        },
      },
      {
        extends: true,
        test: {
          name: 'node-redis/minute-buckets',
          include: [...INTEGRATION, ...CLIENT_SUITES],
          exclude: [...ONCE, ...IOREDIS_ONLY, ...UNIT],
          env: { LAPSE_CLIENT: 'node-redis', LAPSE_EXPIRATION_INDEX: 'minute-buckets' },
        },
      },
      {
        extends: true,
        test: {
          name: 'node-redis-6/sorted-set',
          include: [...INTEGRATION, 'packages/express-session/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          exclude: [...ONCE, ...IOREDIS_ONLY, ...UNIT],
          env: { LAPSE_CLIENT: 'node-redis-6', LAPSE_EXPIRATION_INDEX: 'sorted-set' },
        },
      },
      {
        extends: true,
        test: {
          name: 'ioredis/v8-serializer',
          include: V8_SERIALIZER,
          exclude: [...V8_SERIALIZER_EXCLUDE, ...UNIT],
          env: { LAPSE_CLIENT: 'ioredis', LAPSE_EXPIRATION_INDEX: 'minute-buckets', LAPSE_SERIALIZER: 'v8' },
        },
      },
    ],
  },
});
