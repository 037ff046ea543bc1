import { Redis, type RedisOptions } from 'ioredis';
import { CliError } from '../cli/CliError.js';
import type { RedisTarget } from './RedisTarget.js';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /**
   * Whether the connection reconnects after it once worked (for long-running commands such as
   * `watch`). The first connection attempt never retries, so a wrong URL fails at once.
   */
  readonly reconnect?: boolean;
  /** Connect to this host and port instead of the target's (a cluster master), same credentials. */
  readonly node?: { readonly host: string; readonly port: number };
}

/** Host, port, credentials, database and TLS of a Redis URL, as ioredis options. */
function addressOf(target: RedisTarget): RedisOptions {
  const url = new URL(target.url);
  const password = decodeURIComponent(url.password);
  return {
    host: target.host,
    port: target.port,
    db: target.database,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(password === '' ? {} : { password }),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** What to do about a failed connection, from its error. */
function advice(message: string, target: RedisTarget): string {
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message)) {
    return 'check the user name and password in the URL (redis://user:password@host:port)';
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `check the host name ${JSON.stringify(target.host)}`;
  const given = target.from === 'default' ? 'nothing was given, so the default was tried: ' : '';
  return `${given}start Redis there, or pass --redis URL (or set REDIS_URL)`;
}

/**
 * Opens an ioredis connection to `target` and waits until it is usable. Rejects with a
 * one-line {@link CliError} saying what to do when Redis cannot be reached or refuses the
 * credentials. Errors after that are left to the commands that get them.
 */
export async function connectRedis(target: RedisTarget, options: ConnectRedisOptions = {}): Promise<Redis> {
  let connected = false;
  let lastError: Error | undefined;
  const redis = new Redis({
    ...addressOf(target),
    ...(options.node === undefined ? {} : { host: options.node.host, port: options.node.port }),
    lazyConnect: true,
    enableReadyCheck: false,
    connectTimeout: 5000,
    maxRetriesPerRequest: options.reconnect === true ? 20 : 1,
    retryStrategy: (times) => (connected && options.reconnect === true ? Math.min(times * 200, 2000) : null),
  });
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  const where = options.node === undefined ? target.shown : `${options.node.host}:${options.node.port}`;
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? error;
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as { code?: unknown }).code;
    const what = typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
    throw new CliError(`cannot connect to Redis at ${where} (${what.split('\n')[0] ?? what}): ${advice(message, target)}`, {
      cause,
    });
  }
  connected = true;
  return redis;
}

/** Closes a connection opened by {@link connectRedis}, quietly. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
