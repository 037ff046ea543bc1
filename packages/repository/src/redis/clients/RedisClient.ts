/**
 * The clients lapse accepts, typed by shape rather than by import, so that an application with
 * only one of the two libraries installed still type-checks. Which one it is, and whether lapse
 * can use it, is decided at runtime by {@link toRedisConnection}.
 */

/** An ioredis 6 `Redis` or `Cluster`. */
export interface IoredisClient {
  readonly isCluster: boolean;
  readonly status: string;
  sendCommand(...args: never[]): unknown;
  duplicate(...args: never[]): unknown;
}

/** A node-redis 5/6 client from `createClient()`, connected (`await client.connect()`). */
export interface NodeRedisClient {
  readonly isOpen: boolean;
  sendCommand(...args: never[]): unknown;
  duplicate(...args: never[]): unknown;
  connect(...args: never[]): unknown;
}

/** A node-redis 5/6 cluster from `createCluster()`, connected (`await cluster.connect()`). */
export interface NodeRedisCluster {
  readonly isOpen: boolean;
  sendCommand(...args: never[]): unknown;
  nodeClient(...args: never[]): unknown;
  duplicate(...args: never[]): unknown;
}

/**
 * A Redis client lapse works with: ioredis 6 `Redis` or `Cluster`, or a connected node-redis
 * 5/6 client from `createClient()` or `createCluster()` (RESP2 or RESP3).
 */
export type RedisClient = IoredisClient | NodeRedisClient | NodeRedisCluster;
