import type { Redis } from 'ioredis';

/** Characters with a meaning in a Redis glob pattern. */
const GLOB_CHARACTERS = /[*?[\]\\]/g;

/** `text` with glob characters escaped, so a SCAN MATCH pattern matches it literally. */
export function globLiteral(text: string): string {
  return text.replace(GLOB_CHARACTERS, '\\$&');
}

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
