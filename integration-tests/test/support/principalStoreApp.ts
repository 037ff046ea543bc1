// The setup of the principal-index store suites: per test, an admin client, a LapseStore on the
// client LAPSE_CLIENT names (its own namespace, a principal resolver, no cleanup cron), and the
// session app of @lapse/redis-harness/express around it; all closed after the test.
import { LapseStore, type LapseStoreOptions } from '@lapse/express-session';
import { PRINCIPAL_NAME_INDEX_NAME } from '@lapse/repository';
import { startSessionApp, type RunningApp, type SessionAppOptions } from '@lapse/redis-harness/express';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import { serializerOptions, uniqueNamespace, useRedis } from './redis.js';
import { openTestClient, type TestClient } from './storeClient.js';
import { TEST_EXPIRATION_INDEX } from './testRepository.js';

/** What a test of {@link usePrincipalStoreApp} reads; set anew before each test. */
export interface PrincipalStoreApp {
  admin: Redis;
  opened: TestClient;
  store: LapseStore;
  namespace: string;
  base: string;
  /** Spring's principal index key of `name` in this test's namespace. */
  indexKey(name: string): string;
}

/** The store a test gets: `prefix` `<namespace>:`, the given `principal`, the test serializer and expiration index, no cleanup cron. */
export function principalStore(opened: TestClient, namespace: string, principal: LapseStoreOptions['principal']): LapseStore {
  return new LapseStore({
    client: opened.client as never,
    prefix: `${namespace}:`,
    principal,
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX },
  });
}

/**
 * Registers the beforeEach/afterEach of a suite whose store files sessions by `principal`, in a
 * namespace named after `label`; `app` gives the session app (its options or an app built on them).
 */
export function usePrincipalStoreApp(label: string, principal: LapseStoreOptions['principal'], app: (store: LapseStore) => SessionAppOptions | Express): PrincipalStoreApp {
  const redis = useRedis();
  let running: RunningApp;
  const env = {
    indexKey: (name: string): string => `${env.namespace}:index:${PRINCIPAL_NAME_INDEX_NAME}:${name}`,
  } as PrincipalStoreApp;
  beforeEach(async () => {
    env.admin = redis.client();
    env.opened = await openTestClient(redis.handle.url);
    env.namespace = uniqueNamespace(label);
    env.store = principalStore(env.opened, env.namespace, principal);
    running = await startSessionApp(app(env.store));
    env.base = running.url;
  });
  afterEach(async () => {
    await running.close();
    await env.store.close();
    await env.opened.close();
    env.admin.disconnect();
  });
  return env;
}

/** The session id a `POST /login` answered with, and its session cookie (`name=value`). */
export async function loggedIn(response: Response): Promise<{ sid: string; cookie: string }> {
  return { sid: ((await response.json()) as { sid: string }).sid, cookie: (response.headers.getSetCookie()[0] ?? '').split(';')[0] as string };
}
