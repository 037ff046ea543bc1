// Runs the example: `REDIS_URL=redis://… PORT=3000 SESSION_SECRET=… node dist/main.js`.
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';
import { startExampleServer } from './startExampleServer.js';

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const repository = new RedisIndexedSessionRepository(redis, { cleanupCron: '*/5 * * * * *' });
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
console.log(`listening on ${server.url}`);

process.once('SIGINT', () => {
  void (async () => {
    await server.close();
    await listener.close();
    await repository.close();
    await redis.quit();
  })();
});
