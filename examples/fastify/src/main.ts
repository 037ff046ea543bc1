// Runs the example: `REDIS_URL=redis://… PORT=3000 SESSION_SECRET=… node dist/main.js`.
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';
import { startFastifyExample } from './startFastifyExample.js';

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const repository = new RedisIndexedSessionRepository(redis);
const example = await startFastifyExample({
  repository,
  port: Number(process.env['PORT'] ?? 3000),
  ...(process.env['SESSION_SECRET'] === undefined ? {} : { secret: process.env['SESSION_SECRET'] }),
});
console.log(`listening on ${example.url}`);

process.once('SIGINT', () => {
  void (async () => {
    await example.close();
    await repository.close();
    await redis.quit();
  })();
});
