// The one file of the CLI that knows the two client libraries: it builds, connects and closes a
// client. Everything else talks to Redis through lapse's seam (RedisConnection).
import { type RedisClient } from '@lapse/repository';
import { toRedisConnection, type RedisConnection } from '@lapse/repository/internal';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
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

/** The ACL user and password of `address`, as both libraries take them (absent ones left out). */
function credentialsOf(address: ClientAddress): { username?: string; password?: string } {
  return {
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
  };
}

/**
 * Builds a client of `options.library` for `address` and connects it (one attempt). Rejects
 * with the client's own error when it cannot connect, authenticate or (node-redis) select the
 * database; ioredis connects even when its SELECT fails, which the caller must check with
 * {@link RedisConnection.currentDatabase}.
 */
export async function openClient(address: ClientAddress, options: OpenClientOptions): Promise<OpenClient> {
  if (options.cluster === true) return options.library === 'ioredis' ? openIoredisCluster(address, options) : openNodeRedisCluster(address, options);
  return options.library === 'ioredis' ? openIoredis(address, options) : openNodeRedis(address, options);
}

async function openIoredisCluster(address: ClientAddress, options: OpenClientOptions): Promise<OpenClient> {
  let connected = false;
  const cluster = new Cluster([{ host: address.host, port: address.port }], {
    lazyConnect: true,
    enableReadyCheck: true,
    maxRedirections: 16,
    clusterRetryStrategy: (times) => (connected && options.reconnect ? backoff(times) : null),
    redisOptions: {
      ...credentialsOf(address),
      ...(address.tls ? { tls: {} } : {}),
      connectTimeout: options.connectTimeoutMs,
      maxRetriesPerRequest: options.reconnect ? 20 : 1,
    },
  });
  cluster.on('error', options.onError);
  const opened = await connectIoredis(cluster, options.signal);
  connected = true;
  return opened;
}

async function openNodeRedisCluster(address: ClientAddress, options: OpenClientOptions): Promise<OpenClient> {
  let connected = false;
  const cluster = createCluster({
    rootNodes: [{ socket: { host: address.host, port: address.port, ...(address.tls ? { tls: true as const } : {}) } }],
    defaults: {
      ...credentialsOf(address),
      socket: {
        connectTimeout: options.connectTimeoutMs,
        ...(address.tls ? { tls: true as const } : {}),
        reconnectStrategy: (retries: number) => (connected && options.reconnect ? backoff(retries) : false),
      },
    },
  });
  cluster.on('error', options.onError);
  const opened = await connectNodeRedis(cluster, options.signal);
  connected = true;
  return opened;
}

async function openIoredis(address: ClientAddress, options: OpenClientOptions): Promise<OpenClient> {
  let connected = false;
  const redis = new Redis({
    host: address.host,
    port: address.port,
    db: address.database,
    ...credentialsOf(address),
    ...(address.tls ? { tls: {} } : {}),
    lazyConnect: true,
    enableReadyCheck: false,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: options.reconnect ? 20 : 1,
    retryStrategy: (times) => (connected && options.reconnect ? backoff(times) : null),
  });
  redis.on('error', options.onError);
  const opened = await connectIoredis(redis, options.signal);
  connected = true;
  return opened;
}

async function openNodeRedis(address: ClientAddress, options: OpenClientOptions): Promise<OpenClient> {
  let connected = false;
  const client = createClient({
    socket: {
      host: address.host,
      port: address.port,
      connectTimeout: options.connectTimeoutMs,
      ...(address.tls ? { tls: true as const } : {}),
      reconnectStrategy: (retries: number) => (connected && options.reconnect ? backoff(retries) : false),
    },
    database: address.database,
    ...credentialsOf(address),
  });
  client.on('error', options.onError);
  const opened = await connectNodeRedis(client, options.signal);
  connected = true;
  return opened;
}

/** Connects an ioredis client or cluster, one attempt (disconnected when it fails); `close` quits it, or disconnects it when QUIT fails. */
async function connectIoredis(client: Redis | Cluster, signal: AbortSignal | undefined): Promise<OpenClient> {
  const abort = (): void => client.disconnect();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const close = async (): Promise<void> => {
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  };
  return { client, connection: toRedisConnection(client, { coalesceWrites: false }), close };
}

/** What {@link connectNodeRedis} uses of a node-redis client or cluster. */
interface NodeRedisLifecycle {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** Connects a node-redis client or cluster, one attempt (destroyed when it fails); `close` closes it, or destroys it when that fails. */
async function connectNodeRedis(client: NodeRedisLifecycle & RedisClient, signal: AbortSignal | undefined): Promise<OpenClient> {
  const abort = (): void => {
    if (client.isOpen) client.destroy();
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw error;
  }
  const close = async (): Promise<void> => {
    if (!client.isOpen) return;
    try {
      await client.close();
    } catch {
      client.destroy();
    }
  };
  return { client, connection: toRedisConnection(client), close };
}
