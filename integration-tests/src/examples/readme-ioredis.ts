import { RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const sessions = new RedisIndexedSessionRepository(redis, { defaultMaxInactiveInterval: 1800 });

const session = await sessions.createSession();
session.setAttribute('user', 'ada');
await sessions.save(session);
console.log(`found ${String((await sessions.findById(session.id))?.getAttribute('user'))}`);

await sessions.close();
await redis.quit();
