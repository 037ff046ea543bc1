import type { RedisHandle } from './redis-handle.js';

/** Removes the password from a URL for error messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Returns a handle (source 'env') for the existing server named by `url` (normally `process.env.REDIS_URL`).
 * `stop` does nothing and `restart` rejects: the harness never controls a server it did not start. The URL must
 * use `redis:` or `rediss:`; the port defaults to 6379.
 */
export function envRedisHandle(url: string): RedisHandle {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`REDIS_URL is not a valid URL: ${JSON.stringify(redact(url))}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${redact(url)}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = parsed.port ? Number(parsed.port) : 6379;
  return {
    url,
    host,
    port,
    source: 'env',
    stop: () => Promise.resolve(),
    restart: () =>
      Promise.reject(
        new Error(
          `restart() is only supported for a Redis started from the redis-server binary (source 'binary'); this ` +
            `handle is the external server REDIS_URL=${redact(url)}. Use startRedis({ fresh: true }) for restart tests.`,
        ),
      ),
  };
}
