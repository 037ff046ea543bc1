/**
 * One way to build and connect a client of either library, shared by lapse's tools (the CLI, the
 * test harness, the bench, the examples): `@lapse/repository/clients`. lapse itself never opens a
 * client (an application hands it one); this is for programs that do. Each library is imported
 * only when asked for, so a program with only one of them installed works.
 */
import type { ConnectionOptions } from 'node:tls';
import type { RedisClient } from './RedisClient.js';

/** The client libraries {@link openRedisClient} builds. */
export type RedisClientLibrary = 'ioredis' | 'node-redis';

/** One server (a single Redis, or a node of a Cluster). */
export interface RedisServerAddress {
  readonly host: string;
  readonly port: number;
  /** ACL user. */
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** The database (single Redis only; default 0). */
  readonly database?: number | undefined;
  /** TLS: `true`, or Node's TLS options (a CA, a server name...). */
  readonly tls?: boolean | ConnectionOptions | undefined;
}

/** node-redis's two factories, of the major version to use (`import('redis')` by default; pass another major's, e.g. 6, to use it). */
export interface NodeRedisFactories {
  createClient(options: never): unknown;
  createCluster(options: never): unknown;
}

/** Options of {@link openRedisClient}: where, with which library, and how it connects and reconnects. */
export interface OpenRedisClientOptions {
  readonly library: RedisClientLibrary;
  /** A `redis://` or `rediss://` URL (user, password, database and TLS included), or {@link address}. */
  readonly url?: string;
  /** The server (or, with {@link cluster}, the node to discover the Cluster from), when no {@link url}. */
  readonly address?: RedisServerAddress;
  /** A Cluster client seeded with `address` (and {@link seeds}), which must name database 0. */
  readonly cluster?: boolean;
  /** More Cluster nodes to start from (credentials and TLS of `address`). */
  readonly seeds?: readonly { readonly host: string; readonly port: number }[];
  /** node-redis only: its factories (default: those of the `redis` package installed). */
  readonly nodeRedis?: NodeRedisFactories;
  /** node-redis only: the protocol (its default when absent). */
  readonly resp?: 2 | 3;
  /** The connect timeout of a TCP connection, in ms (the library's default when absent). */
  readonly connectTimeoutMs?: number;
  /**
   * The delay before reconnection attempt `attempt` (1, 2, ...) after a lost connection, or `null`
   * to give up. When given, the first connection is tried once (and the promise rejects with the
   * library's error); when absent, the library's own retries apply throughout.
   */
  readonly reconnect?: (attempt: number) => number | null;
  /** ioredis only: `maxRetriesPerRequest`. */
  readonly maxRetriesPerRequest?: number;
  /** ioredis only (single server): `enableReadyCheck` (default true). */
  readonly readyCheck?: boolean;
  /** ioredis only: `enableAutoPipelining`. */
  readonly autoPipelining?: boolean;
  /** Every error the client reports on its own (default: ignored, so none goes unhandled). */
  readonly onError?: (error: Error) => void;
  /** When it aborts, the client is disconnected at once, connecting or connected. */
  readonly signal?: AbortSignal;
}

/** A connected client and how to end it. */
export interface OpenedRedisClient {
  readonly library: RedisClientLibrary;
  /** The client (ioredis `Redis` or `Cluster`, node-redis client or cluster), as lapse takes it. */
  readonly client: RedisClient;
  /** Closes gracefully (QUIT, node-redis `close()`), at once when that fails; never rejects. */
  close(): Promise<void>;
  /** Drops the connection at once. */
  destroy(): void;
}

/** What this file uses of an ioredis `Redis` or `Cluster`. */
interface IoredisLifecycle {
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** What this file uses of a node-redis client or cluster. */
interface NodeRedisLifecycle {
  readonly isOpen: boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

const ignore = (): void => undefined;

function credentials(address: RedisServerAddress): { username?: string; password?: string } {
  return {
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
  };
}

/** The server of `options.url` (for a Cluster's seed). */
function addressOf(options: OpenRedisClientOptions): RedisServerAddress {
  if (options.address !== undefined) return options.address;
  if (options.url === undefined) throw new TypeError('openRedisClient: give a url or an address');
  const url = new URL(options.url);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port === '' ? 6379 : Number(url.port),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    tls: url.protocol === 'rediss:',
  };
}

/**
 * Builds a client of `options.library` and connects it. Rejects with the library's own error
 * when it cannot connect, authenticate or (node-redis) select the database, the client then
 * closed; ioredis connects even when its SELECT fails (it reports that through `onError`).
 */
export async function openRedisClient(options: OpenRedisClientOptions): Promise<OpenedRedisClient> {
  const state = { connected: false };
  const opened = options.library === 'ioredis' ? await openIoredis(options, state) : await openNodeRedis(options, state);
  state.connected = true;
  return opened;
}

async function openIoredis(options: OpenRedisClientOptions, state: { connected: boolean }): Promise<OpenedRedisClient> {
  const { Redis, Cluster } = await import('ioredis');
  const address = addressOf(options);
  const retry = options.reconnect === undefined ? {} : { retry: (times: number): number | null => (state.connected ? options.reconnect?.(times) ?? null : null) };
  const perServer = {
    ...credentials(address),
    ...(address.tls === undefined || address.tls === false ? {} : { tls: address.tls === true ? {} : address.tls }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeout: options.connectTimeoutMs }),
    ...(options.maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest: options.maxRetriesPerRequest }),
  };
  const common = { lazyConnect: true, ...(options.autoPipelining === undefined ? {} : { enableAutoPipelining: options.autoPipelining }) };
  const single = {
    ...perServer,
    ...common,
    ...(options.readyCheck === undefined ? {} : { enableReadyCheck: options.readyCheck }),
    ...(retry.retry === undefined ? {} : { retryStrategy: retry.retry }),
  };
  const client =
    options.cluster === true
      ? new Cluster([{ host: address.host, port: address.port }, ...(options.seeds ?? [])], {
          ...common,
          ...(retry.retry === undefined ? {} : { clusterRetryStrategy: retry.retry }),
          redisOptions: perServer,
        })
      : options.url === undefined
        ? new Redis({ host: address.host, port: address.port, db: address.database ?? 0, ...single })
        : new Redis(options.url, single);
  const lifecycle = client as unknown as IoredisLifecycle;
  lifecycle.on('error', options.onError ?? ignore);
  options.signal?.addEventListener('abort', () => lifecycle.disconnect(), { once: true });
  try {
    await lifecycle.connect();
  } catch (error) {
    lifecycle.disconnect();
    throw error;
  }
  return {
    library: 'ioredis',
    client: client as unknown as RedisClient,
    close: async () => {
      try {
        await lifecycle.quit();
      } catch {
        lifecycle.disconnect();
      }
    },
    destroy: () => lifecycle.disconnect(),
  };
}

async function openNodeRedis(options: OpenRedisClientOptions, state: { connected: boolean }): Promise<OpenedRedisClient> {
  const factories: NodeRedisFactories = options.nodeRedis ?? (await import('redis'));
  const address = addressOf(options);
  const tls = address.tls === undefined || address.tls === false ? {} : { tls: true as const, ...(address.tls === true ? {} : address.tls) };
  const reconnectStrategy =
    options.reconnect === undefined ? {} : { reconnectStrategy: (retries: number): number | false => (state.connected ? options.reconnect?.(retries) ?? false : false) };
  const socket = { ...(options.connectTimeoutMs === undefined ? {} : { connectTimeout: options.connectTimeoutMs }), ...tls, ...reconnectStrategy };
  const resp = options.resp === undefined ? {} : { RESP: options.resp };
  const client = (
    options.cluster === true
      ? factories.createCluster({
          rootNodes: [address, ...(options.seeds ?? [])].map(({ host, port }) => ({ socket: { host, port, ...tls } })),
          defaults: { ...credentials(address), socket },
          ...resp,
        } as never)
      : factories.createClient(
          (options.url === undefined
            ? { socket: { host: address.host, port: address.port, ...socket }, database: address.database ?? 0, ...credentials(address), ...resp }
            : { url: options.url, socket, ...resp }) as never,
        )
  ) as NodeRedisLifecycle;
  client.on('error', options.onError ?? ignore);
  options.signal?.addEventListener(
    'abort',
    () => {
      if (client.isOpen) client.destroy();
    },
    { once: true },
  );
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw error;
  }
  return {
    library: 'node-redis',
    client: client as unknown as RedisClient,
    close: async () => {
      if (!client.isOpen) return;
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
    destroy: () => {
      if (client.isOpen) client.destroy();
    },
  };
}
