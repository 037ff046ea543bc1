// A logged-in express-session session stored by LapseStore under default server settings: its
// hash stays in Redis's compact listpack encoding (no field name or value over 64 bytes, the
// principal included), and it has no keys beyond the hash, the shadow key, its expiration index
// entry and the principal index, which a Spring service finds by Spring's index key.
import { LapseStore } from '@lapse/express-session';
import { storeSessionIdGenerator } from '@lapse/express-session/internal';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectExpiryLeavesPrincipalIndex } from './support/expiryLeavesPrincipalIndex.js';
import { openTestClient, type TestClient } from './support/storeClient.js';
import { serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';
import { TEST_EXPIRATION_INDEX } from './support/testRepository.js';

const redis = useRedis();
let admin: Redis;
let opened: TestClient;
let store: LapseStore;
let namespace: string;
let running: RunningApp;
let base: string;

type Data = Record<string, unknown>;

beforeEach(async () => {
  admin = redis.client();
  opened = await openTestClient(redis.handle.url);
  namespace = uniqueNamespace('compact');
  store = new LapseStore({
    client: opened.client as never,
    prefix: `${namespace}:`,
    principal: (data) => (data as unknown as Data)['user'] as string | undefined,
    repositoryOptions: { ...serializerOptions(), cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX },
  });
  running = await startSessionApp({
    store,
    secret: 'compact',
    rolling: true,
    cookie: { maxAge: 86_400_000, sameSite: 'lax' },
    login: () => ({ user: 'ada.lovelace@example.com', csrf: 'Qm9vNnVvR3dXbVhqTnJ5cE1zS2tBcQ', locale: 'en-GB' }),
  });
  base = running.url;
});
afterEach(async () => {
  await running.close();
  await store.close();
  await opened.close();
  admin.disconnect();
});

async function logIn(): Promise<{ sid: string; cookie: string }> {
  const response = await fetch(`${base}/login`, { method: 'POST' });
  return { sid: ((await response.json()) as { sid: string }).sid, cookie: (response.headers.getSetCookie()[0] ?? '').split(';')[0] as string };
}

const indexKey = (name: string): string => `${namespace}:index:${PRINCIPAL_NAME_INDEX_NAME}:${name}`;

describe('a logged-in express session in lapse layout', () => {
  it('keeps its hash listpack-encoded: every field name and value is at most 64 bytes', async () => {
    expect(await admin.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '64']);
    const { sid } = await logIn();
    const hashKey = `${namespace}:sessions:${sid}`;
    expect(await admin.object('ENCODING', hashKey)).toBe('listpack');
    const hash = await admin.hgetall(hashKey);
    for (const [field, value] of Object.entries(hash)) {
      expect(Buffer.byteLength(field), field).toBeLessThanOrEqual(64);
      expect(Buffer.byteLength(value), `${field}: ${value}`).toBeLessThanOrEqual(64);
    }
    expect(Object.keys(hash).sort()).toEqual(
      ['creationTime', 'lastAccessedTime', 'maxInactiveInterval', 'sessionAttr:cookie', 'sessionAttr:csrf', 'sessionAttr:lapse.principal', 'sessionAttr:locale', 'sessionAttr:user'].sort(),
    );
  });

  it('has only the hash, the shadow key, its expiration index entry and the principal index (no :idx set)', async () => {
    const { sid } = await logIn();
    const keys = (await admin.keys(`${namespace}:*`)).sort();
    const expected = [`${namespace}:sessions:${sid}`, `${namespace}:sessions:expires:${sid}`, indexKey('ada.lovelace@example.com')];
    if (TEST_EXPIRATION_INDEX === 'sorted-set') {
      expected.push(`${namespace}:sessions:expirations`);
    } else {
      const bucket = keys.find((key) => key.startsWith(`${namespace}:expirations:`)) as string;
      expect(await admin.smembers(bucket)).toEqual([`expires:${sid}`]);
      expected.push(bucket, `${namespace}:expiration-minutes`);
    }
    expect(keys).toEqual(expected.sort());
  });

  it("is found by Spring's principal index key, which logout empties again", async () => {
    const { sid, cookie } = await logIn();
    expect(await admin.smembers(indexKey('ada.lovelace@example.com'))).toEqual([sid]);
    expect([...(await store.repository.findByPrincipalName('ada.lovelace@example.com')).keys()]).toEqual([sid]);
    await fetch(`${base}/logout`, { method: 'POST', headers: { cookie } });
    expect(await admin.smembers(indexKey('ada.lovelace@example.com'))).toEqual([]);
  });

  it('"log out everywhere" ends every session of the user through the index', async () => {
    const first = await logIn();
    const second = await logIn();
    expect(await store.repository.deleteByPrincipalName('ada.lovelace@example.com')).toBe(2);
    expect(await store.get(first.sid)).toBeNull();
    expect(await store.get(second.sid)).toBeNull();
    expect(await admin.exists(indexKey('ada.lovelace@example.com'))).toBe(0);
  });

  it('an expired session leaves the index when the listener records its end (no :idx set needed)', async () => {
    // The listener, as in a service of its own: a repository on an ioredis client, same namespace and ids.
    const watcher = new RedisIndexedSessionRepository(admin, { ...serializerOptions(), namespace, sessionIdGenerator: storeSessionIdGenerator, cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX });
    try {
      await expectExpiryLeavesPrincipalIndex({ store, listenerRepository: watcher, admin, indexKey, namespace });
    } finally {
      await watcher.close();
    }
  });
});
