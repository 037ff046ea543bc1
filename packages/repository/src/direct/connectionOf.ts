import type { Cluster, Redis } from 'ioredis';
import type { RedisIndexedSessionRepository } from '../RedisIndexedSessionRepository.js';
import type { RedisConnection, RedisReply } from '../redis/clients/RedisConnection.js';
import type { LuaScript } from '../redis/LuaScript.js';
import { sendCommand } from '../redis/sendCommand.js';

/** What {@link SessionHashStore} needs of a connection (the seam's `RedisConnection`). */
export type HashConnection = Pick<RedisConnection, 'send' | 'runScript' | 'masters'>;

/** HGETALL's reply as flat pairs (ioredis resolves an object). */
function flat(reply: unknown): RedisReply {
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) return reply as RedisReply;
  const pairs: string[] = [];
  for (const field of Object.keys(reply)) pairs.push(field, (reply as Record<string, string>)[field] as string);
  return pairs;
}

/**
 * The repository's connection: its `connection` once the client seam provides one, else the
 * ioredis client it was built on, seen through the same interface.
 */
export function connectionOf(repository: RedisIndexedSessionRepository): HashConnection {
  const seam = (repository as unknown as { connection?: RedisConnection }).connection;
  if (seam !== undefined) return seam;
  const redis = (repository as unknown as { redis: Redis | Cluster }).redis;
  const send = (client: Redis | Cluster, name: string, args: readonly (string | number)[]): Promise<RedisReply> =>
    (sendCommand(client, name, [...args]) as Promise<unknown>).then(flat);
  return {
    send: (name, args) => send(redis, name, args),
    runScript: (script, keys, args) => (script as LuaScript).run(redis, keys, args) as Promise<RedisReply>,
    masters: () => {
      const nodes: Redis[] = redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
      return Promise.resolve(nodes.map((node) => ({ address: `${String(node.options.host)}:${String(node.options.port)}`, send: (name: string, args: readonly (string | number)[]) => send(node, name, args) })));
    },
  };
}
