// A listener in 'once' delivery, run as its own process so a test can SIGKILL it.
// argv: redis URL, namespace, group, lease ms, how many events to handle before getting stuck.
// It records each event it handles in the list `<namespace>:handled-by-child`; from then on its
// handler never finishes, and it prints "stuck" once.
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';
import { childClient, childSerializerOptions } from './childClient.mjs';

const [url, namespace, group, leaseMs, stuckAfter] = process.argv.slice(2);
const redis = new Redis(url); // the test's own bookkeeping
const expirationIndex = process.env.LAPSE_EXPIRATION_INDEX === 'sorted-set' ? 'sorted-set' : 'minute-buckets';
const repository = new RedisIndexedSessionRepository(await childClient(url), { namespace, cleanupCron: null, expirationIndex, ...(await childSerializerOptions()) });
const listener = new SessionEventListener(repository, { delivery: 'once', group, leaseMs: Number(leaseMs) });
let handled = 0;
let stuck = false;
listener.on('expired', async (event) => {
  if (handled >= Number(stuckAfter)) {
    if (!stuck) {
      stuck = true;
      process.stdout.write('stuck\n');
    }
    return new Promise(() => undefined);
  }
  handled += 1;
  await redis.rpush(`${namespace}:handled-by-child`, event.sessionId);
});
await listener.start();
process.stdout.write(`ready ${process.pid}\n`);
