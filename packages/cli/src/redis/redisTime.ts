import type { Redis } from 'ioredis';

/** Redis's clock (TIME), in epoch ms: the clock session deadlines and the cleanup sweep use. */
export async function redisTime(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
