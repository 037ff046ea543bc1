import type { RedisConnection } from '@lapse/repository/internal';

/** Redis's clock (TIME), in epoch ms: the clock session deadlines and the cleanup sweep use. */
export async function redisTime(connection: RedisConnection): Promise<number> {
  const [seconds, micros] = (await connection.send('TIME', [])) as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
