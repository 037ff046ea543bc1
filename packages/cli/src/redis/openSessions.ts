import { InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import { DEFAULT_NAMESPACE, SessionKeys } from '@lapse/repository/internal';
import type { CommonValues } from '../cli/CommandSpec.js';
import { UsageError } from '../cli/UsageError.js';
import { connectRedis, type CliRedis } from './connectRedis.js';
import { resolveClientChoice } from './openClient.js';
import { resolveRedisTarget, type RedisTarget } from './RedisTarget.js';

/** A connection and a repository for one namespace, as most commands need. */
export interface OpenSessions {
  readonly target: RedisTarget;
  /** The namespace (`--namespace`, checked). */
  readonly namespace: string;
  /** The CLI's connection (the repository's own seam connection is `repository.connection`). */
  readonly redis: CliRedis;
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
 * `--namespace`, with the client library of `--client`, without a cleanup schedule unless
 * asked. The connection is on the URL's database before the repository exists (else it
 * rejects with `cannot select database N (…)`, having touched nothing).
 */
export async function openSessions(values: CommonValues, env: NodeJS.ProcessEnv, options: OpenSessionsOptions = {}): Promise<OpenSessions> {
  const namespace = resolveNamespace(values.namespace, options.namespaceDefault);
  const target = resolveRedisTarget(values.redis, env);
  const library = resolveClientChoice(values.client);
  const redis = await connectRedis(target, { library, reconnect: options.reconnect ?? false, followCluster: true });
  let repository: RedisIndexedSessionRepository;
  try {
    repository = new RedisIndexedSessionRepository(redis.client, { namespace, database: target.database, cleanupCron: options.cleanupCron ?? null });
  } catch (error) {
    await redis.close();
    throw error;
  }
  return {
    target,
    namespace,
    redis,
    repository,
    async close() {
      try {
        await repository.close();
      } finally {
        await redis.close();
      }
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
