import { startRedis, type RedisHandle } from '@lapse/redis-harness';
import { openRedisClient } from '@lapse/repository/clients';
import type { Redis } from 'ioredis';

/** A fresh Redis for one measurement, stopped by `stop()`. */
export interface BenchRedis {
  readonly handle: RedisHandle;
  /** A plain connection for INFO, CONFIG and checks. */
  readonly admin: Redis;
  stop(): Promise<void>;
}

export async function freshRedis(): Promise<BenchRedis> {
  const handle = await startRedis({ fresh: true });
  const opened = await openRedisClient({ library: 'ioredis', url: handle.url }).catch(async (error: unknown) => {
    await handle.stop();
    throw error;
  });
  const admin = opened.client as unknown as Redis;
  return {
    handle,
    admin,
    stop: async () => {
      opened.destroy();
      await handle.stop();
    },
  };
}

/** One field of an INFO section. */
export async function infoField(redis: Redis, section: string, field: string): Promise<string> {
  const text = await redis.info(section);
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(text);
  if (match === null) throw new Error(`INFO ${section} has no ${field}`);
  return (match[1] ?? '').trim();
}

export async function usedMemory(redis: Redis): Promise<number> {
  return Number(await infoField(redis, 'memory', 'used_memory'));
}

export function describeSource(handle: RedisHandle): string {
  switch (handle.source) {
    case 'binary':
      return 'redis-server on a free loopback port';
    case 'container':
      return 'redis container (testcontainers)';
    default:
      return 'REDIS_URL';
  }
}
