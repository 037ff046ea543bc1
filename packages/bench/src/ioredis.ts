import { createRequire } from 'node:module';
import type { Redis as RedisClass } from 'ioredis';

/**
 * The ioredis the bench opens every ioredis connection with: the one `@lapse/repository`
 * resolves, so that lapse always runs on the ioredis it was built for (and the bench's own
 * connections speak the same), and the version printed is the one measured.
 */
const requireFromRepository = createRequire(import.meta.resolve('@lapse/repository'));

export const Redis = (requireFromRepository('ioredis') as { Redis: typeof RedisClass }).Redis;
export type Redis = RedisClass;

/** The version of that ioredis. */
export const IOREDIS_VERSION = (requireFromRepository('ioredis/package.json') as { version: string }).version;
