// Runs the example: `REDIS_URL=redis://… PORT=3000 SESSION_SECRET=… node dist/main.js`, then open
// http://127.0.0.1:3000/ (in two browsers, or a normal and a private window, for two devices).
// It connects with node-redis; `REDIS_CLIENT=ioredis` connects with ioredis instead. Without a
// Redis at REDIS_URL (default redis://127.0.0.1:6379) it exits 1 with one line saying so.
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { connectOrExit } from '@lapse/example-shared';
import { startExampleServer } from './startExampleServer.js';

const redis = await connectOrExit('examples/express');
// A sweep every second: a page whose session expires shows it within about a second.
const repository = new RedisIndexedSessionRepository(redis.client, { cleanupCron: '* * * * * *' });
const listener = new SessionEventListener(repository);
listener.on('destroyed', ({ type, sessionId, reason }) => console.log(`session ${sessionId} ${type}${reason === undefined ? '' : ` (${reason})`}`));
listener.on('error', (error) => console.error('session events:', error.message));
await listener.start();
const server = await startExampleServer({
  repository,
  listener,
  port: Number(process.env['PORT'] ?? 3000),
  ...(process.env['SESSION_SECRET'] === undefined ? {} : { secret: process.env['SESSION_SECRET'] }),
});
console.log(`listening on ${server.url} (Redis client: ${redis.library}): open ${server.url}/ in a browser`);

process.once('SIGINT', () => {
  void (async () => {
    await server.close();
    await listener.close();
    await repository.close();
    await redis.close();
  })();
});
