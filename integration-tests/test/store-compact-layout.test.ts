// A logged-in express-session session stored by LapseStore under default server settings: its
// hash stays in Redis's compact listpack encoding (no field name or value over 64 bytes, the
// principal included), and it has no keys beyond the hash, the shadow key, its expiration index
// entry and the principal index, which a Spring service finds by Spring's index key.
import { storeSessionIdGenerator } from '@lapse/express-session/internal';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { expectExpiryLeavesPrincipalIndex } from './support/expiryLeavesPrincipalIndex.js';
import { loggedIn, usePrincipalStoreApp } from './support/principalStoreApp.js';
import { serializerOptions } from './support/redis.js';
import { TEST_EXPIRATION_INDEX } from './support/testRepository.js';

type Data = Record<string, unknown>;

const env = usePrincipalStoreApp('compact', (data) => (data as unknown as Data)['user'] as string | undefined, (store) => ({
  store,
  secret: 'compact',
  rolling: true,
  cookie: { maxAge: 86_400_000, sameSite: 'lax' },
  login: () => ({ user: 'ada.lovelace@example.com', csrf: 'Qm9vNnVvR3dXbVhqTnJ5cE1zS2tBcQ', locale: 'en-GB' }),
}));
const { indexKey } = env;

async function logIn(): Promise<{ sid: string; cookie: string }> {
  return loggedIn(await fetch(`${env.base}/login`, { method: 'POST' }));
}

describe('a logged-in express session in lapse layout', () => {
  it('keeps its hash listpack-encoded: every field name and value is at most 64 bytes', async () => {
    expect(await env.admin.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '64']);
    const { sid } = await logIn();
    const hashKey = `${env.namespace}:sessions:${sid}`;
    expect(await env.admin.object('ENCODING', hashKey)).toBe('listpack');
    const hash = await env.admin.hgetall(hashKey);
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
    const keys = (await env.admin.keys(`${env.namespace}:*`)).sort();
    const expected = [`${env.namespace}:sessions:${sid}`, `${env.namespace}:sessions:expires:${sid}`, indexKey('ada.lovelace@example.com')];
    if (TEST_EXPIRATION_INDEX === 'sorted-set') {
      expected.push(`${env.namespace}:sessions:expirations`);
    } else {
      const bucket = keys.find((key) => key.startsWith(`${env.namespace}:expirations:`)) as string;
      expect(await env.admin.smembers(bucket)).toEqual([`expires:${sid}`]);
      expected.push(bucket, `${env.namespace}:expiration-minutes`);
    }
    expect(keys).toEqual(expected.sort());
  });

  it("is found by Spring's principal index key, which logout empties again", async () => {
    const { sid, cookie } = await logIn();
    expect(await env.admin.smembers(indexKey('ada.lovelace@example.com'))).toEqual([sid]);
    expect([...(await env.store.repository.findByPrincipalName('ada.lovelace@example.com')).keys()]).toEqual([sid]);
    await fetch(`${env.base}/logout`, { method: 'POST', headers: { cookie } });
    expect(await env.admin.smembers(indexKey('ada.lovelace@example.com'))).toEqual([]);
  });

  it('"log out everywhere" ends every session of the user through the index', async () => {
    const first = await logIn();
    const second = await logIn();
    expect(await env.store.repository.deleteByPrincipalName('ada.lovelace@example.com')).toBe(2);
    expect(await env.store.get(first.sid)).toBeNull();
    expect(await env.store.get(second.sid)).toBeNull();
    expect(await env.admin.exists(indexKey('ada.lovelace@example.com'))).toBe(0);
  });

  it('an expired session leaves the index when the listener records its end (no :idx set needed)', async () => {
    // The listener, as in a service of its own: a repository on an ioredis client, same namespace and ids.
    const watcher = new RedisIndexedSessionRepository(env.admin, { ...serializerOptions(), namespace: env.namespace, sessionIdGenerator: storeSessionIdGenerator, cleanupCron: null, expirationIndex: TEST_EXPIRATION_INDEX });
    try {
      await expectExpiryLeavesPrincipalIndex({ store: env.store, listenerRepository: watcher, admin: env.admin, indexKey, namespace: env.namespace });
    } finally {
      await watcher.close();
    }
  });
});
