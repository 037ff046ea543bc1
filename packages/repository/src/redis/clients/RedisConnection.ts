/**
 * The one seam between lapse and a Redis client library (ioredis 6, node-redis 5/6), in the
 * spirit of Spring Data Redis's `RedisConnection` over Lettuce and Jedis: what lapse needs of a
 * connection, and nothing else. Every other file of lapse talks to Redis through these
 * interfaces; only the adapters (`ioredis/`, `node-redis/`) touch a client's own API.
 *
 * Replies are normalised to RESP2 shapes whichever protocol the client speaks: bulk and simple
 * strings as UTF-8 strings, integers as numbers, nil as `null`, arrays as arrays, and maps
 * (HGETALL, CONFIG GET, CLIENT INFO fields …) as flat `[field, value, …]` arrays. An error
 * reply rejects with an `Error` whose message is Redis's own (`NOSCRIPT …`, `WRONGTYPE …`).
 */

/** One argument of a command: numbers are sent as their decimal text. */
export type CommandArgument = string | number;

/** A reply in RESP2 shape (see the file comment). */
export type RedisReply = string | number | null | RedisReply[];

/** A Lua script as lapse sends it: by SHA1 first, its source when Redis does not have it. */
export interface ScriptSource {
  /** SHA1 of `source`, lowercase hex. */
  readonly sha: string;
  readonly source: string;
}

/** Which client library a connection comes from. */
export type ClientLibrary = 'ioredis' | 'node-redis';

/** One server: the single Redis, or one master of a Cluster. */
export interface RedisNodeConnection {
  /** `host:port`, as the cluster names it (stable while the node is a master). */
  readonly address: string;
  /** Sends one command to this node. */
  send(name: string, args: readonly CommandArgument[]): Promise<RedisReply>;
}

/**
 * A connection of its own, opened by lapse (duplicated from the caller's client) for pub/sub.
 * Subscriptions survive reconnects (the adapter subscribes again); `onReconnect` is told after
 * every reconnection, once subscriptions are back.
 */
export interface RedisSubscriber {
  /** Subscribes to channels; `onMessage(channel, message)` for each message. Resolves once Redis confirmed. */
  subscribe(channels: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void>;
  /** Subscribes to patterns; `onMessage(channel, message)` for each message. Resolves once Redis confirmed. */
  psubscribe(patterns: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void>;
  /** Calls `listener` after each reconnection (not after the first connection). */
  onReconnect(listener: () => void): void;
  /** Closes the connection at once (no QUIT round trip); idempotent. */
  close(): Promise<void>;
}

/**
 * A connection of its own, opened by lapse for blocking reads (`XREADGROUP … BLOCK`), so the
 * caller's connection is never held. Single Redis only.
 */
export interface RedisBlockingConnection {
  send(name: string, args: readonly CommandArgument[]): Promise<RedisReply>;
  /** Closes the connection at once; a command in flight rejects; idempotent. */
  close(): Promise<void>;
}

/**
 * The caller's client, as lapse uses it. lapse never closes the caller's client; it closes
 * only the connections it opened itself (subscribers, blocking readers).
 */
export interface RedisConnection {
  /** The client library. */
  readonly library: ClientLibrary;
  /** The client object the application passed in, as it was given. */
  readonly client: object;
  /** Whether it is a Cluster client. */
  readonly clustered: boolean;
  /** The database the application asked for (always 0 on a Cluster). */
  readonly requestedDatabase: number;
  /**
   * Whether the application has closed the client (node-redis: not open; ioredis: status
   * `end`): lapse's own timers (the cleanup sweep) then send it nothing, and warn about nothing.
   */
  readonly closed: boolean;

  /**
   * Sends one command. On a Cluster, `key` (the command's first key) routes it. Commands that
   * lapse sends within one tick may be written to the socket together (ioredis: corked
   * socket; node-redis: its own tick pipelining).
   */
  send(name: string, args: readonly CommandArgument[], key?: string): Promise<RedisReply>;

  /** Runs a script: `EVALSHA`, then `EVAL` once when Redis answers `NOSCRIPT`. On a Cluster `keys[0]` routes it. */
  runScript(script: ScriptSource, keys: readonly string[], args: readonly CommandArgument[]): Promise<RedisReply>;

  /** The single server, or every master of a Cluster as the client knows them now. Waits until the client is connected. */
  masters(): Promise<readonly RedisNodeConnection[]>;

  /**
   * Calls `listener` whenever a Cluster's set of masters may have changed (failover,
   * resharding, a node added or removed); returns the function that stops it. Never called on
   * a single Redis.
   */
  onTopologyChange(listener: () => void): () => void;

  /**
   * The database the connection is really on (`CLIENT INFO`'s `db=`), asked of Redis; 0 on a
   * Cluster. A client that failed to `SELECT` the database it was given is still on another:
   * callers compare this with {@link requestedDatabase}.
   */
  currentDatabase(): Promise<number>;

  /**
   * Opens a subscriber connection to the same server and database. On a Cluster: to `node`
   * when given (keyspace notifications are node-local), else to any one node (a classic
   * PUBLISH reaches every node).
   */
  openSubscriber(node?: RedisNodeConnection): Promise<RedisSubscriber>;

  /** Opens a connection for blocking reads to the same server and database (single Redis only). */
  openBlockingConnection(): Promise<RedisBlockingConnection>;
}
