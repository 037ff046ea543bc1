import type { RedisClient } from '../../redis/clients/RedisClient.js';
import type { RedisConnection, RedisNodeConnection } from '../../redis/clients/RedisConnection.js';
import { toRedisConnection } from '../../redis/clients/toRedisConnection.js';
import { KeyspaceNotificationsError } from '../../errors/KeyspaceNotificationsError.js';
import { readKeyspaceEvents } from './keyspace-flags.js';

const ADVICE =
  'set it in redis.conf or in your provider\'s console: notify-keyspace-events "Egx" (any value holding E, g and x, or E and A)';

/** What {@link ensureKeyspaceNotifications} found. */
export type KeyspaceNotificationsStatus =
  /** The setting already held the flags, or lapse added them. */
  | { readonly state: 'configured'; readonly value: string; readonly changed: boolean }
  /** `CONFIG` is not allowed: the caller must verify the events some other way. */
  | { readonly state: 'unknown' };

/** Whether `target` is a seam connection already (rather than a client to wrap). */
function isRedisConnection(target: RedisConnection | RedisClient): target is RedisConnection {
  const candidate = target as Partial<RedisConnection>;
  return typeof candidate.masters === 'function' && typeof candidate.runScript === 'function' && typeof candidate.library === 'string';
}

/**
 * Makes sure Redis publishes `del` and `expired` keyevents (on a Cluster, every master does).
 * `target` is a client (ioredis 6 or node-redis 5/6, single or Cluster) or a repository's
 * `connection`. With `configure` it adds the missing flags with `CONFIG SET` (adding only
 * what is missing); without, it only reads the setting and throws
 * {@link KeyspaceNotificationsError} when a flag is missing. When `CONFIG` itself is
 * forbidden (managed Redis) it reports `'unknown'` without configure, and throws with
 * configure, saying what to set.
 */
export async function ensureKeyspaceNotifications(target: RedisConnection | RedisClient, configure: boolean): Promise<KeyspaceNotificationsStatus> {
  const connection = isRedisConnection(target) ? target : toRedisConnection(target);
  const masters = await connection.masters();
  if (masters.length === 0) throw new KeyspaceNotificationsError('the Redis Cluster client knows no master to configure', null);
  // Keyspace notifications are per node: every master must publish them.
  const statuses = await Promise.all(masters.map((node) => ensureOnNode(node, configure)));
  return statuses.find((status) => status.state === 'unknown') ?? (statuses[0] as KeyspaceNotificationsStatus);
}

async function ensureOnNode(node: RedisNodeConnection, configure: boolean): Promise<KeyspaceNotificationsStatus> {
  const send = (name: string, args: readonly string[]): Promise<unknown> => node.send(name, args);
  const { value: current, wanted } = await readKeyspaceEvents(send);
  if (current === null || wanted === null) {
    if (!configure) return { state: 'unknown' };
    throw new KeyspaceNotificationsError(
      `lapse cannot read notify-keyspace-events (CONFIG is not allowed here): ${ADVICE}, then pass configureKeyspaceNotifications: false`,
      null,
    );
  }
  if (wanted === current) return { state: 'configured', value: current, changed: false };
  if (!configure) {
    throw new KeyspaceNotificationsError(
      `Redis has notify-keyspace-events "${current}", so session expiry and deletion events would never arrive: ${ADVICE}`,
      current,
    );
  }
  try {
    await send('CONFIG', ['SET', 'notify-keyspace-events', wanted]);
  } catch (error) {
    throw new KeyspaceNotificationsError(
      `lapse could not set notify-keyspace-events to "${wanted}" (it is "${current}"): ${ADVICE}, then pass configureKeyspaceNotifications: false`,
      current,
      { cause: error },
    );
  }
  return { state: 'configured', value: wanted, changed: true };
}
