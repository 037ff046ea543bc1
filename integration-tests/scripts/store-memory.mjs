// Memory per logged-in express session, connect-redis 10 against LapseStore, same data, same
// (fresh, default-configured) Redis: INFO used_memory over N sessions written through each
// store's API with a node-redis 5.9 client. Run after `pnpm build`:
//   node integration-tests/scripts/store-memory.mjs [N]
import { startRedis } from '@lapse/redis-harness';
import { LapseStore } from '@lapse/express-session';
import { RedisStore } from 'connect-redis';
import { Cookie } from 'express-session';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

const count = Number(process.argv[2] ?? 20_000);
const handle = await startRedis();
const client = createClient({ url: handle.url });
await client.connect();

/** A logged-in session as express-session hands it to a store: cookie, user, csrf token, locale. */
function sessionData(n) {
  const cookie = new Cookie({ maxAge: 86_400_000, httpOnly: true, path: '/', sameSite: 'lax' });
  return { cookie, user: `user${n}@example.com`, csrf: randomBytes(18).toString('base64url'), locale: 'en-GB' };
}

async function usedMemory() {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)[1]);
}

async function measure(name, makeStore) {
  await client.flushAll();
  const store = makeStore();
  const before = await usedMemory();
  for (let n = 0; n < count; n += 200) {
    await Promise.all(Array.from({ length: Math.min(200, count - n) }, (_, i) => store.set(randomBytes(24).toString('base64url'), sessionData(n + i))));
  }
  const after = await usedMemory();
  await store.close?.();
  const perSession = (after - before) / count;
  console.log(`${name.padEnd(44)} ${perSession.toFixed(0).padStart(6)} B per session (${count} sessions, keys: ${await client.dbSize()})`);
  return perSession;
}

try {
  const version = /redis_version:(\S+)/.exec(await client.info('server'))[1];
  console.log(`Redis ${version}, default settings; node-redis 5.9 client`);
  const connectRedis = await measure('connect-redis 10.0.0', () => new RedisStore({ client }));
  const plain = await measure('LapseStore, no principal index', () => new LapseStore({ client, repositoryOptions: { cleanupCron: null } }));
  const indexed = await measure('LapseStore, principal indexed (user)', () => new LapseStore({ client, principal: (data) => data.user, repositoryOptions: { cleanupCron: null } }));
  console.log(`ratios: ${(plain / connectRedis).toFixed(2)}x without a principal index, ${(indexed / connectRedis).toFixed(2)}x with one`);
} finally {
  await client.quit();
  await handle.stop();
}
