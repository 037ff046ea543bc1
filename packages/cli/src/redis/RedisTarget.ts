import { DEFAULT_REDIS_URL } from '../cli/commonOptions.js';
import { UsageError } from '../cli/UsageError.js';
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
}

/** Checks a Redis URL and takes it apart; throws {@link UsageError} for a malformed one. */
export function parseRedisUrl(url: string, from: RedisTarget['from']): RedisTarget {
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
  };
}

/** The Redis named by `--redis`, else `REDIS_URL`, else `redis://127.0.0.1:6379`. */
export function resolveRedisTarget(option: string | undefined, env: NodeJS.ProcessEnv): RedisTarget {
  if (option !== undefined) return parseRedisUrl(option, 'option');
  const fromEnv = env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return parseRedisUrl(fromEnv, 'env');
  return parseRedisUrl(DEFAULT_REDIS_URL, 'default');
}
