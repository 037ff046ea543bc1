/**
 * Where a {@link RedisHandle}'s server came from:
 * - `'env'`: an existing server named by the `REDIS_URL` environment variable (never stopped by the harness);
 * - `'container'`: a `redis:7.4` container started with testcontainers;
 * - `'binary'`: a `redis-server` process spawned from `PATH` on a free loopback port.
 */
export type RedisSource = 'env' | 'container' | 'binary';

/** Options of {@link RedisHandle.restart}. */
export interface RestartOptions {
  /** Milliseconds to wait between the old process exiting and the new one being spawned (default 0). */
  downtimeMs?: number;
  /**
   * Whether the server comes back empty (default false): its RDB and AOF files are removed while it is
   * down, so it loses its data whatever its persistence settings, as a Redis without persistence or a
   * failover to an empty replica does.
   */
  wipeData?: boolean;
}

/** A single (non-cluster) Redis server that tests can connect to, as returned by `startRedis`. */
export interface RedisHandle {
  /** redis:// URL of the server. */
  readonly url: string;
  /** Host name or IP address of the server. */
  readonly host: string;
  /** TCP port of the server. */
  readonly port: number;
  /** Where it came from. */
  readonly source: RedisSource;
  /** Stops the server if the harness started it (no-op for REDIS_URL). Idempotent. */
  stop(): Promise<void>;
  /**
   * Only for 'binary': stops the process with SIGTERM (so an AOF is flushed), waits `downtimeMs`, and starts it
   * again on the SAME port with the same arguments and data directory, resolving once it answers PING.
   * Rejects with a clear error for other sources and after {@link RedisHandle.stop}.
   */
  restart(options?: RestartOptions): Promise<void>;
}
