// A broadcast listener run as its own process, so a test can SIGKILL it, restart it under the
// same `name`, or pause it with SIGSTOP. argv: redis URL, namespace, listener name, and
// optionally N: the process SIGKILLs itself inside its handler of the N-th expired event
// (after printing it), as a crash in a handler would.
// It prints "ready <pid>" once started, then "expired <id>" for each expired event it emits
// (stdout to a pipe is synchronous on Linux: a printed line was emitted).
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { childClient, childSerializerOptions } from './childClient.mjs';

const [url, namespace, name, dieAt] = process.argv.slice(2);
let emitted = 0;
const expirationIndex = process.env.LAPSE_EXPIRATION_INDEX === 'sorted-set' ? 'sorted-set' : 'minute-buckets';
const repository = new RedisIndexedSessionRepository(await childClient(url), { namespace, cleanupCron: null, expirationIndex, ...(await childSerializerOptions()) });
const listener = new SessionEventListener(repository, { name });
listener.on('expired', (event) => {
  process.stdout.write(`expired ${event.sessionId}\n`);
  emitted += 1;
  if (dieAt !== undefined && emitted === Number(dieAt)) process.kill(process.pid, 'SIGKILL');
});
listener.on('created', (event) => {
  process.stdout.write(`created ${event.sessionId}\n`);
});
listener.on('error', () => undefined);
await listener.start();
process.stdout.write(`ready ${process.pid}\n`);
