import type { Cluster, Redis } from 'ioredis';
import { InvalidArgumentError } from '../../errors/InvalidArgumentError.js';
import { IoredisConnection } from './ioredis/IoredisConnection.js';
import { NodeRedisConnection, type NodeRedisClientApi, type NodeRedisClusterApi } from './node-redis/NodeRedisConnection.js';
import type { RedisClient } from './RedisClient.js';
import type { RedisConnection } from './RedisConnection.js';

/** How {@link toRedisConnection} sets up the connection. */
export interface RedisConnectionOptions {
  /**
   * ioredis only: cork the socket for the commands lapse sends within one tick (see the
   * repository option `coalesceWrites`). node-redis always batches a tick's commands itself.
   * @defaultValue `true`
   */
  readonly coalesceWrites?: boolean;
}

/** What a node-redis RESP type may be mapped to without changing lapse's replies. */
const HARMLESS_TYPE_MAPPINGS: Readonly<Record<string, unknown>> = {
  36: String,
  43: String,
  61: String,
  44: String,
  37: Array,
  126: Array,
};

const ARGUMENT = 'client';

/**
 * The {@link RedisConnection} for a client: an ioredis 6 `Redis` or `Cluster`, or a connected
 * node-redis 5/6 client (`createClient()`) or cluster (`createCluster()`), detected from the
 * object. Throws {@link InvalidArgumentError} for a client lapse cannot work with, saying what to
 * pass instead: a node-redis client in legacy mode, a node-redis client not yet connected, an
 * ioredis client with a `keyPrefix`, a client whose reply type mapping changes replies, or
 * anything else.
 */
export function toRedisConnection(client: RedisClient, options: RedisConnectionOptions = {}): RedisConnection {
  if (client === null || typeof client !== 'object') {
    throw new InvalidArgumentError(ARGUMENT, `must be an ioredis 6 Redis or Cluster, or a connected node-redis client or cluster (got ${client === null ? 'null' : typeof client})`);
  }
  const candidate = client as unknown as Record<string, unknown>;
  if (isLegacyNodeRedis(candidate)) {
    throw new InvalidArgumentError(ARGUMENT, 'is a node-redis client in legacy mode (.legacy() or legacyMode): pass the client itself, as createClient() returns it');
  }
  if (typeof candidate['isCluster'] === 'boolean' && typeof candidate['sendCommand'] === 'function' && typeof candidate['duplicate'] === 'function' && typeof candidate['options'] === 'object') {
    checkIoredis(client as unknown as Redis | Cluster);
    return new IoredisConnection(client as unknown as Redis | Cluster, { coalesceWrites: options.coalesceWrites ?? true });
  }
  if (typeof candidate['sendCommand'] === 'function' && typeof candidate['isOpen'] === 'boolean') {
    const clustered = typeof candidate['nodeClient'] === 'function' && 'masters' in candidate;
    if (!clustered && typeof candidate['duplicate'] !== 'function') throw notAClient(client);
    if (candidate['isOpen'] !== true) {
      throw new InvalidArgumentError(ARGUMENT, `is a node-redis ${clustered ? 'cluster' : 'client'} that is not connected: call \`await client.connect()\` first, then pass it`);
    }
    checkTypeMapping(candidate);
    return new NodeRedisConnection(client as unknown as NodeRedisClientApi | NodeRedisClusterApi, clustered);
  }
  throw notAClient(client);
}

function notAClient(client: object): InvalidArgumentError {
  const name = client.constructor?.name ?? '';
  const got = name === '' || name === 'Object' ? 'a plain object' : `a ${name}`;
  return new InvalidArgumentError(ARGUMENT, `must be an ioredis 6 Redis or Cluster, or a connected node-redis client (createClient()) or cluster (createCluster()); got ${got}`);
}

/** A node-redis legacy (v3 callback) interface: `client.legacy()`, or a v4-style `legacyMode` client. */
function isLegacyNodeRedis(candidate: Record<string, unknown>): boolean {
  if (candidate.constructor?.name === 'RedisLegacyClient') return true;
  // Its shape, should the class name be minified: callback commands, no isOpen, not ioredis.
  if (typeof candidate['sendCommand'] === 'function' && typeof candidate['multi'] === 'function' && !('isOpen' in candidate) && !('isCluster' in candidate)) {
    return true;
  }
  const options = candidate['options'];
  return typeof options === 'object' && options !== null && (options as { legacyMode?: unknown }).legacyMode === true;
}

function checkIoredis(client: Redis | Cluster): void {
  const options = client.options as { keyPrefix?: unknown; redisOptions?: { keyPrefix?: unknown; replyMapping?: unknown; stringNumbers?: unknown }; replyMapping?: unknown; stringNumbers?: unknown };
  for (const keyPrefix of [options.keyPrefix, options.redisOptions?.keyPrefix]) {
    if (typeof keyPrefix === 'string' && keyPrefix !== '') {
      // ioredis would prefix the keys lapse names but not those its scripts build from
      // arguments (minute buckets), and Spring's layout has no room for a prefix anyway.
      throw new InvalidArgumentError(ARGUMENT, `must have no ioredis keyPrefix (got ${JSON.stringify(keyPrefix)}): pass a client without one and use lapse's namespace option instead`);
    }
  }
  for (const replyMapping of [options.replyMapping, options.redisOptions?.replyMapping]) {
    if (replyMapping !== undefined && replyMapping !== 'legacy') {
      throw new InvalidArgumentError(ARGUMENT, `must not use ioredis replyMapping ${JSON.stringify(replyMapping)} (it changes RESP3 replies): pass a client with the default replyMapping 'legacy', or protocol: 2`);
    }
  }
  for (const stringNumbers of [options.stringNumbers, options.redisOptions?.stringNumbers]) {
    if (stringNumbers === true) {
      throw new InvalidArgumentError(ARGUMENT, 'must not use ioredis stringNumbers (it changes integer replies): pass a client without it');
    }
  }
}

/** Refuses a node-redis client whose `typeMapping` (its options or `withTypeMapping`) changes replies. */
function checkTypeMapping(candidate: Record<string, unknown>): void {
  const mappings = [
    (candidate['_commandOptions'] as { typeMapping?: object } | undefined)?.typeMapping,
    (candidate['options'] as { commandOptions?: { typeMapping?: object } } | undefined)?.commandOptions?.typeMapping,
  ];
  for (const mapping of mappings) {
    if (mapping === undefined || mapping === null) continue;
    for (const [type, to] of Object.entries(mapping)) {
      if (HARMLESS_TYPE_MAPPINGS[type] !== to) {
        throw new InvalidArgumentError(ARGUMENT, `has a node-redis typeMapping that changes replies (RESP type ${type} to ${typeof to === 'function' ? to.name : String(to)}): pass a client without typeMapping (lapse reads RESP2 and RESP3 alike)`);
      }
    }
  }
}
