/**
 * Real-Redis test harness: a single server from REDIS_URL, a container, or a spawned `redis-server`
 * ({@link startRedis}), and a local Redis Cluster of spawned processes ({@link startRedisCluster}).
 * @packageDocumentation
 */
export type { RedisHandle, RedisSource, RestartOptions } from './redis-handle.js';
export { startRedis, binaryRedisHandle } from './start-redis.js';
export type { StartRedisOptions } from './start-redis.js';
export { startRedisCluster, CLUSTER_NODE_ARGS } from './start-redis-cluster.js';
export type { RedisClusterHandle, StartRedisClusterOptions } from './start-redis-cluster.js';
export { RedisServerProcess, LOOPBACK_HOST, STOP_GRACE_MS } from './redis-server-process.js';
export type { RedisServerProcessOptions } from './redis-server-process.js';
export {
  REDIS_CONTAINER_IMAGE,
  isContainerRuntimeAvailable,
  redisUrl,
  startContainerRedis,
} from './container-redis.js';
export { envRedisHandle } from './env-redis.js';
export { CLUSTER_BUS_PORT_OFFSET, ephemeralPortRangeStart, findFreePort, isPortFree } from './free-port.js';
export type { FindFreePortOptions } from './free-port.js';
export { findExecutable, requireRedisExecutable } from './find-executable.js';
export { RedisReplyError, parseInfo, sendRedisCommand } from './resp-command.js';
export type { RespReply, SendRedisCommandOptions } from './resp-command.js';
export { NotYet, sleep, waitUntil } from './wait-until.js';
export type { WaitUntilOptions } from './wait-until.js';
export { registerForCleanup, unregisterForCleanup } from './process-registry.js';
export type { EmergencyStoppable } from './process-registry.js';
