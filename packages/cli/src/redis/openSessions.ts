import { DEFAULT_NAMESPACE, InvalidArgumentError, RedisIndexedSessionRepository, SessionKeys } from '@lapse/repository';
import type { Redis } from 'ioredis';
import type { CommonValues } from '../cli/CommandSpec.js';
import { UsageError } from '../cli/UsageError.js';
import { closeRedis, connectRedis } from './connectRedis.js';
import { resolveRedisTarget, type RedisTarget } from './RedisTarget.js';

/** A connection and a repository for one namespace, as most commands need. */
export interface OpenSessions {
  readonly target: RedisTarget;
  readonly redis: Redis;
  readonly repository: RedisIndexedSessionRepository;
  /** Closes the repository and the connection. */
  close(): Promise<void>;
}

/** Options of {@link openSessions}. */
export interface OpenSessionsOptions {
  /** The repository's cleanup schedule; default `null` (commands that only look never sweep). */
  readonly cleanupCron?: string | null;
  /** Reconnect after the first connection worked (long-running commands). */
  readonly reconnect?: boolean;
  /** The namespace when `--namespace` is absent; default `spring:session`. */
  readonly namespaceDefault?: string;
}

/** The namespace of `--namespace` (or `fallback`), checked; throws {@link UsageError} when invalid. */
export function resolveNamespace(option: string | undefined, fallback: string = DEFAULT_NAMESPACE): string {
  const namespace = option ?? fallback;
  try {
    return new SessionKeys(namespace).namespace;
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(`--namespace ${error.message.replace(/^.*?: /, '')}`);
    throw error;
  }
}

/**
 * Connects to the Redis of `--redis`/`REDIS_URL` and opens a repository for the namespace of
 * `--namespace`, without a cleanup schedule unless asked.
 */
export async function openSessions(values: CommonValues, env: NodeJS.ProcessEnv, options: OpenSessionsOptions = {}): Promise<OpenSessions> {
  const namespace = resolveNamespace(values.namespace, options.namespaceDefault);
  const target = resolveRedisTarget(values.redis, env);
  const redis = await connectRedis(target, { reconnect: options.reconnect ?? false });
  const repository = new RedisIndexedSessionRepository(redis, { namespace, cleanupCron: options.cleanupCron ?? null });
  return {
    target,
    redis,
    repository,
    async close() {
      await repository.close();
      await closeRedis(redis);
    },
  };
}

/** Runs `work` with {@link openSessions}, closing everything afterwards whatever happens. */
export async function withSessions<T>(
  values: CommonValues,
  env: NodeJS.ProcessEnv,
  work: (sessions: OpenSessions) => Promise<T>,
  options: OpenSessionsOptions = {},
): Promise<T> {
  const sessions = await openSessions(values, env, options);
  try {
    return await work(sessions);
  } finally {
    await sessions.close();
  }
}
