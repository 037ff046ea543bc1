import { DEFAULT_REDIS_URL } from '../cli/commonOptions.js';
import { UsageError } from '../cli/UsageError.js';
import { parseDuration } from '../format/duration.js';
import { redactUrl } from './redactUrl.js';

/** Which Redis a command talks to, and where that choice came from. */
export interface RedisTarget {
  /** The URL, as given. */
  readonly url: string;
  /** The URL without its password, for messages. */
  readonly shown: string;
  /** `--redis`, `REDIS_URL`, or the default. */
  readonly from: 'option' | 'env' | 'default';
  /** Host name from the URL (`127.0.0.1` when absent). */
  readonly host: string;
  /** Port from the URL (6379 when absent). */
  readonly port: number;
  /** User name from the URL, if any. */
  readonly username: string | undefined;
  /** Database number from the URL path (`/2`), 0 when absent. */
  readonly database: number;
  /**
   * How long connecting may take before the command gives up with `no answer within …`
   * ({@link DEFAULT_CONNECT_TIMEOUT_MS}, or `LAPSE_CONNECT_TIMEOUT`).
   */
  readonly connectTimeoutMs: number;
}

/** How long a command waits for Redis to answer when it connects, unless `LAPSE_CONNECT_TIMEOUT` says otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * `LAPSE_CONNECT_TIMEOUT` (a duration such as `5s`, `500ms` or `2`, seconds when bare) in ms, else
 * {@link DEFAULT_CONNECT_TIMEOUT_MS}; throws {@link UsageError} for anything else or zero.
 */
export function resolveConnectTimeout(env: NodeJS.ProcessEnv): number {
  const text = env['LAPSE_CONNECT_TIMEOUT'];
  if (text === undefined || text === '') return DEFAULT_CONNECT_TIMEOUT_MS;
  const ms = parseDuration(text, 'LAPSE_CONNECT_TIMEOUT');
  if (ms < 1) throw new UsageError(`LAPSE_CONNECT_TIMEOUT must be at least 1ms, got ${JSON.stringify(text)}`);
  return ms;
}

/** Checks a Redis URL and takes it apart; throws {@link UsageError} for a malformed one. */
export function parseRedisUrl(url: string, from: RedisTarget['from'], connectTimeoutMs: number = DEFAULT_CONNECT_TIMEOUT_MS): RedisTarget {
  const where = from === 'env' ? 'REDIS_URL' : '--redis';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${where} is not a URL: ${JSON.stringify(redactUrl(url))}; use redis://[user:password@]host:port[/db]`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`${where} must start with redis:// or rediss://, got ${JSON.stringify(redactUrl(url))}`);
  }
  const path = parsed.pathname.replace(/^\//, '');
  const database = path === '' ? 0 : Number(path);
  if (!Number.isInteger(database) || database < 0) {
    throw new UsageError(`${where} names database ${JSON.stringify(path)}; use a number, as in redis://host:6379/0`);
  }
  return {
    url,
    shown: redactUrl(url),
    from,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    database,
    connectTimeoutMs,
  };
}

/** The Redis named by `--redis`, else `REDIS_URL`, else `redis://127.0.0.1:6379`, with the connect timeout of `LAPSE_CONNECT_TIMEOUT`. */
export function resolveRedisTarget(option: string | undefined, env: NodeJS.ProcessEnv): RedisTarget {
  const timeout = resolveConnectTimeout(env);
  if (option !== undefined) return parseRedisUrl(option, 'option', timeout);
  const fromEnv = env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return parseRedisUrl(fromEnv, 'env', timeout);
  return parseRedisUrl(DEFAULT_REDIS_URL, 'default', timeout);
}
