// A connect-redis style script, run as a child process by process-exit.test.ts: it builds a
// store from a client, sets and reads a session, closes the client without store.close(),
// and (with a hold time) keeps itself alive that long with a timer of its own.
// Arguments: client kind (ioredis | node-redis), Redis URL, namespace, cleanupCron ('' for the
// default), hold time in ms, expiration index ('' for the default).
import { LapseStore } from '../../dist/index.js';

const [kind, url, namespace, cron, hold, index] = process.argv.slice(2);
let client;
if (kind === 'ioredis') {
  const { Redis } = await import('ioredis');
  client = new Redis(url);
} else {
  const { createClient } = await import('redis');
  client = await createClient({ url }).connect();
}
const repositoryOptions = { ...(cron ? { cleanupCron: cron } : {}), ...(index ? { expirationIndex: index } : {}) };
const store = new LapseStore({ client, prefix: `${namespace}:`, repositoryOptions });
const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString(), httpOnly: true, path: '/' };
await store.set('child-session', { cookie, user: 'ada' });
const read = await store.get('child-session');
if (read?.user !== 'ada') throw new Error(`the session was not read back: ${JSON.stringify(read)}`);
if (kind === 'ioredis') await client.quit();
else await client.close();
if (Number(hold) > 0) setTimeout(() => undefined, Number(hold));
process.stdout.write('closed\n');
