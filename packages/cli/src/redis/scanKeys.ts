import { globLiteral } from '@lapse/repository';
import type { Redis } from 'ioredis';

/** Every key starting with `prefix`, found with SCAN (never KEYS), in batches. */
export async function* scanKeys(redis: Redis, prefix: string, count = 1000): AsyncIterable<string[]> {
  const pattern = `${globLiteral(prefix)}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
