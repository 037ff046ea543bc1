import type { RedisHandle } from './redis-handle.js';

/** Image used when a container engine is available. */
export const REDIS_CONTAINER_IMAGE = 'redis:7.4';

let runtimeAvailable: Promise<boolean> | undefined;

/**
 * Whether testcontainers finds a working container engine (`getContainerRuntimeClient()` resolves). Loads
 * testcontainers lazily (about 0.75 s here) and caches the answer for the life of the process. Never rejects.
 */
export function isContainerRuntimeAvailable(): Promise<boolean> {
  runtimeAvailable ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false; // "Could not find a working container runtime strategy" (or testcontainers missing)
    }
  })();
  return runtimeAvailable;
}

/** Formats a `redis://` URL, bracketing IPv6 literals. */
export function redisUrl(host: string, port: number): string {
  return `redis://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts {@link REDIS_CONTAINER_IMAGE} with testcontainers (`redis-server --save "" --appendonly no ...args`,
 * port 6379 exposed, ready on the log line "Ready to accept connections") and returns a handle with source
 * 'container'. `restart` is not supported (rejects); `stop` stops and removes the container and is idempotent.
 */
export async function startContainerRedis(args: readonly string[] = []): Promise<RedisHandle> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(REDIS_CONTAINER_IMAGE)
    .withExposedPorts(6379)
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no', ...args])
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .withStartupTimeout(120_000)
    .start();
  const host = container.getHost();
  const port = container.getMappedPort(6379);
  let stopping: Promise<void> | undefined;
  return {
    url: redisUrl(host, port),
    host,
    port,
    source: 'container',
    stop: () => {
      stopping ??= container.stop().then(() => undefined);
      return stopping;
    },
    restart: () =>
      Promise.reject(
        new Error(
          `restart() is only supported for a Redis started from the redis-server binary (source 'binary'); ` +
            `this one is a container (${host}:${port}). Use startRedis() without a container engine to test restarts.`,
        ),
      ),
  };
}
