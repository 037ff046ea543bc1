import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Returns the absolute path of executable `name` found on `PATH`, or `undefined`. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Returns the absolute path of a Redis executable (`redis-server` or `redis-cli`) on `PATH`, or throws an error
 * that says how to install it or how to use an existing server instead.
 */
export function requireRedisExecutable(name: 'redis-server' | 'redis-cli'): string {
  const found = findExecutable(name);
  if (found) return found;
  throw new Error(
    `${name} was not found on PATH. Install Redis (Debian/Ubuntu: \`sudo apt-get install -y redis-server\`, ` +
      `which provides redis-server and redis-cli; macOS: \`brew install redis\`). Single-server tests can instead ` +
      `use a container engine (Docker) or an existing server via REDIS_URL=redis://host:port; cluster tests ` +
      `always need the binaries.`,
  );
}
