import { isContainerRuntimeAvailable, redisUrl, startContainerRedis } from './container-redis.js';
import { envRedisHandle } from './env-redis.js';
import type { RedisHandle, RestartOptions } from './redis-handle.js';
import { RedisServerProcess } from './redis-server-process.js';

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Extra redis-server config args, e.g. ['--appendonly','yes'] (binary and container). */
  args?: string[];
  /** Ignore REDIS_URL and always start a fresh server (default false). */
  fresh?: boolean;
}

/**
 * Wraps a spawned {@link RedisServerProcess} as a {@link RedisHandle} with source 'binary' (`stop` kills the
 * process and removes its directory; `restart` restarts it on the same port).
 */
export function binaryRedisHandle(server: RedisServerProcess): RedisHandle {
  return {
    url: redisUrl(server.host, server.port),
    host: server.host,
    port: server.port,
    source: 'binary',
    stop: () => server.stop(),
    restart: (options: RestartOptions = {}) =>
      server.restart({
        ...(options.downtimeMs === undefined ? {} : { downtimeMs: options.downtimeMs }),
        ...(options.wipeData === undefined ? {} : { wipeData: options.wipeData }),
      }),
  };
}

/**
 * Provides a single Redis server for a test:
 * 1. `REDIS_URL` set (non-empty) and not `fresh`: a handle for that server (source 'env'; `args` are ignored,
 *    `stop` is a no-op, the data is whatever is there);
 * 2. else, if testcontainers finds a container engine: a `redis:7.4` container (source 'container');
 * 3. else: `redis-server` from `PATH` on a free loopback port with a fresh temporary `--dir` (source 'binary'),
 *    resolved once it answers PING; rejects with install instructions if there is no binary.
 * Servers from 2 and 3 start empty, without persistence unless `args` enable it.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const envUrl = process.env['REDIS_URL'];
  if (envUrl && !options.fresh) return envRedisHandle(envUrl);
  const args = options.args ?? [];
  if (await isContainerRuntimeAvailable()) return startContainerRedis(args);
  return binaryRedisHandle(await RedisServerProcess.start({ args }));
}
