import { openRedisClient, type OpenedRedisClient } from '@lapse/repository/clients';
import type { Redis } from 'ioredis';
import type { createClient } from 'redis';

/** A connected Redis client for the example, of the library `REDIS_CLIENT` names, and how to close it. */
export interface ExampleRedisClient {
  /** The client, as `RedisIndexedSessionRepository` takes it. */
  readonly client: Redis | ReturnType<typeof createClient>;
  /** `node-redis` or `ioredis`. */
  readonly library: 'node-redis' | 'ioredis';
  close(): Promise<void>;
}

/** The Redis the examples use when `REDIS_URL` is not set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The first connection to the example's Redis failed: nothing answered at its URL. */
export class RedisUnreachableError extends Error {
  constructor(
    /** The URL tried. */
    readonly url: string,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`no Redis at ${url} (${why || 'connection refused'}): start one there, or point the example at yours with REDIS_URL=redis://host:port`, { cause });
    this.name = 'RedisUnreachableError';
  }
}

/** Reconnection delays once the client was connected (a Redis restart): 100 ms more each time, at most 2 s. */
const backoff = (attempt: number): number => Math.min(attempt * 100, 2000);

/**
 * Connects to `url` with node-redis 5 (`createClient`, as connect-redis users already have it),
 * or with ioredis 6 when `library` is `ioredis` (env `REDIS_CLIENT=ioredis`). A node-redis client
 * must be connected before lapse gets it. The first connection is tried once: when it fails the
 * promise rejects with a {@link RedisUnreachableError} and nothing keeps retrying or logging;
 * once connected, the client reconnects after a lost connection and logs its errors.
 */
export async function connectRedisClient(url: string, library: string | undefined): Promise<ExampleRedisClient> {
  if (library !== undefined && library !== '' && library !== 'node-redis' && library !== 'ioredis') {
    throw new Error(`REDIS_CLIENT must be node-redis (the default) or ioredis, got ${JSON.stringify(library)}`);
  }
  const chosen = library === 'ioredis' ? 'ioredis' : 'node-redis';
  let connected = false;
  /** The first connection's error (ioredis rejects `connect()` with only "Connection is closed."). */
  let refused: Error | undefined;
  const log = (error: Error): void => {
    if (connected) console.error('redis:', error.message);
    else refused ??= error;
  };
  let opened: OpenedRedisClient;
  try {
    opened = await openRedisClient({ library: chosen, url, reconnect: backoff, onError: log });
  } catch (error) {
    throw new RedisUnreachableError(url, chosen === 'ioredis' ? (refused ?? error) : error);
  }
  connected = true;
  return { client: opened.client as ExampleRedisClient['client'], library: chosen, close: opened.close };
}

/**
 * What an example's `main` does first: connects to `REDIS_URL` (default {@link DEFAULT_REDIS_URL})
 * with the client `REDIS_CLIENT` names; when that fails, prints one line
 * (`<name>: no Redis at … : start one there, or point the example at yours with REDIS_URL=…`)
 * and exits with code 1.
 */
export async function connectOrExit(name: string, env: NodeJS.ProcessEnv = process.env): Promise<ExampleRedisClient> {
  try {
    return await connectRedisClient(env['REDIS_URL'] ?? DEFAULT_REDIS_URL, env['REDIS_CLIENT']);
  } catch (error) {
    exitWith(name, error);
  }
}

/** Prints `<name>: <message>` as one line on stderr and exits with code 1. */
export function exitWith(name: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}
