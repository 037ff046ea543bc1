// The one file of the CLI that opens a client (with lapse's shared factory): it builds, connects
// and closes one. Everything else talks to Redis through lapse's seam (RedisConnection).
import { type RedisClient } from '@lapse/repository';
import { toRedisConnection, type RedisConnection } from '@lapse/repository/internal';
import { openRedisClient } from '@lapse/repository/clients';
import { UsageError } from '../cli/UsageError.js';

/** The client libraries `--client` chooses from. */
export const CLIENT_LIBRARIES = ['node-redis', 'ioredis'] as const;

/** A client library of `--client`. */
export type ClientChoice = (typeof CLIENT_LIBRARIES)[number];

/** The library used when `--client` is absent. */
export const DEFAULT_CLIENT: ClientChoice = 'node-redis';

/** `--client`'s value, checked; the default when absent. Throws {@link UsageError} for another. */
export function resolveClientChoice(option: string | undefined): ClientChoice {
  if (option === undefined) return DEFAULT_CLIENT;
  const choice = CLIENT_LIBRARIES.find((name) => name === option);
  if (choice === undefined) throw new UsageError(`--client takes ${CLIENT_LIBRARIES.join(' or ')}, got ${JSON.stringify(option)}`);
  return choice;
}

/** Where and how to connect: one server (single Redis, or one node of a Cluster). */
export interface ClientAddress {
  readonly host: string;
  readonly port: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly database: number;
  readonly tls: boolean;
}

/** Options of {@link openClient}. */
export interface OpenClientOptions {
  readonly library: ClientChoice;
  /** Whether to reconnect after the first connection worked; the first attempt never retries. */
  readonly reconnect: boolean;
  /** A Cluster client, seeded with `address` (which then must name database 0). */
  readonly cluster?: boolean;
  /** Called with every error the client reports on its own (a failed SELECT on ioredis, a lost connection). */
  readonly onError: (error: Error) => void;
  /** The clients' own connect timeout (the TCP connection), in ms. */
  readonly connectTimeoutMs: number;
  /** When it aborts, the client is disconnected at once, connecting or connected (a connection attempt that takes too long). */
  readonly signal?: AbortSignal;
}

/** A connected client, its seam connection, and how to close it. */
export interface OpenClient {
  readonly client: RedisClient;
  readonly connection: RedisConnection;
  /** Closes the client (gracefully if it can, else at once); never rejects. */
  close(): Promise<void>;
}

/** Backoff once connected: 200 ms more per attempt, at most 2 s. */
function backoff(attempt: number): number {
  return Math.min(Math.max(attempt, 1) * 200, 2000);
}

/**
 * Builds a client of `options.library` for `address` and connects it (one attempt), with lapse's
 * shared client factory (`@lapse/repository/clients`). Rejects with the client's own error when it
 * cannot connect, authenticate or (node-redis) select the database; ioredis connects even when its
 * SELECT fails, which the caller must check with {@link RedisConnection.currentDatabase}.
 */
export async function openClient(address: ClientAddress, options: OpenClientOptions): Promise<OpenClient> {
  const ioredis = options.library === 'ioredis';
  const opened = await openRedisClient({
    library: options.library,
    address,
    cluster: options.cluster === true,
    connectTimeoutMs: options.connectTimeoutMs,
    reconnect: (attempt) => (options.reconnect ? backoff(attempt) : null),
    ...(ioredis ? { maxRetriesPerRequest: options.reconnect ? 20 : 1, readyCheck: false } : {}),
    onError: options.onError,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { client: opened.client, connection: toRedisConnection(opened.client, ioredis ? { coalesceWrites: false } : {}), close: opened.close };
}
