// Runs the example: `REDIS_URL=redis://… PORT=3000 SESSION_SECRET=… node dist/main.js`.
// It connects with node-redis; `REDIS_CLIENT=ioredis` connects with ioredis instead.
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { connectRedisClient } from '@lapse/example-shared';
import { startFastifyExample } from './startFastifyExample.js';

const redis = await connectRedisClient(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', process.env['REDIS_CLIENT']);
const repository = new RedisIndexedSessionRepository(redis.client);
const example = await startFastifyExample({
  repository,
  port: Number(process.env['PORT'] ?? 3000),
  ...(process.env['SESSION_SECRET'] === undefined ? {} : { secret: process.env['SESSION_SECRET'] }),
});
console.log(`listening on ${example.url} (Redis client: ${redis.library})`);

process.once('SIGINT', () => {
  void (async () => {
    await example.close();
    await repository.close();
    await redis.close();
  })();
});
