// Runs the example: `REDIS_URL=redis://… PORT=3000 SESSION_SECRET=<32+ characters> node dist/main.js`,
// then open http://127.0.0.1:3000/ (in two browsers, or a normal and a private window, for two devices).
// It connects with node-redis; `REDIS_CLIENT=ioredis` connects with ioredis instead. Without a
// Redis at REDIS_URL (default redis://127.0.0.1:6379), or with a SESSION_SECRET shorter than 32
// characters, it exits 1 with one line saying so.
import { SessionEventListener } from '@lapse/events';
import { connectOrExit, exitWith } from '@lapse/example-shared';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { MIN_SECRET_LENGTH } from './buildFastifyApp.js';
import { startFastifyExample } from './startFastifyExample.js';

const NAME = 'examples/fastify';
const secret = process.env['SESSION_SECRET'];
if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
  exitWith(NAME, `SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters (@fastify/session's minimum), got ${secret.length}: e.g. SESSION_SECRET=$(openssl rand -hex 32)`);
}
const redis = await connectOrExit(NAME);
// A sweep every second: a page whose session expires shows it within about a second.
const repository = new RedisIndexedSessionRepository(redis.client, { cleanupCron: '* * * * * *' });
const listener = new SessionEventListener(repository);
listener.on('destroyed', ({ type, sessionId, reason }) => console.log(`session ${sessionId} ${type}${reason === undefined ? '' : ` (${reason})`}`));
listener.on('error', (error) => console.error('session events:', error.message));
await listener.start();
const example = await startFastifyExample({
  repository,
  listener,
  port: Number(process.env['PORT'] ?? 3000),
  ...(secret === undefined ? {} : { secret }),
});
console.log(`listening on ${example.url} (Redis client: ${redis.library}): open ${example.url}/ in a browser`);

process.once('SIGINT', () => {
  void (async () => {
    await example.close();
    await listener.close();
    await repository.close();
    await redis.close();
  })();
});
