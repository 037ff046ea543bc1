// Shared with the other packages' tests.
export { uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
export type { SuiteRedis } from '@lapse/redis-harness/vitest';

/**
 * Closes a client from `clientUnderTest(inspection)` unless it is `inspection` itself (the
 * ioredis run), whose owner closes it. Called by the test: the harness's own `afterAll` is not
 * run when `clientUnderTest` is first called inside a hook or a test.
 */
export async function closeClientUnderTest(client: object | undefined, inspection: unknown): Promise<void> {
  if (client === undefined || client === inspection) return;
  await (client as unknown as { close(): Promise<void> }).close();
}
