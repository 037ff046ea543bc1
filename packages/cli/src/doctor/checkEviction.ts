import { isCommandForbidden as isForbidden, type RedisConnection } from '@lapse/repository/internal';
import { finding, type Finding } from './Finding.js';
import { redisCli } from './checkKeyspaceEvents.js';

/**
 * Warns when Redis may evict keys under memory pressure: every session key has a TTL, so any
 * policy but `noeviction` may remove a live session, which then ends with an `evicted` event
 * that lapse does not report.
 */
export async function checkEviction(redis: RedisConnection, where: { host: string; port: number }): Promise<Finding[]> {
  let maxmemory: string;
  let policy: string;
  try {
    maxmemory = ((await redis.send('CONFIG', ['GET', 'maxmemory'])) as string[])[1] ?? '0';
    policy = ((await redis.send('CONFIG', ['GET', 'maxmemory-policy'])) as string[])[1] ?? 'noeviction';
  } catch (error) {
    if (!isForbidden(error)) throw error;
    // Where CONFIG is not allowed, INFO memory still says both.
    const info = await readInfoMemory(redis);
    if (info === null) {
      return [finding('warn', 'memory', 'cannot read maxmemory or maxmemory-policy (neither CONFIG GET nor INFO memory is allowed)', "check in the provider's console that maxmemory-policy is noeviction")];
    }
    ({ maxmemory, policy } = info);
  }
  if (maxmemory === '0' || policy === 'noeviction') {
    return [finding('ok', 'memory', maxmemory === '0' ? 'no maxmemory limit, so no session is evicted' : `maxmemory-policy noeviction, so no session is evicted`)];
  }
  return [
    finding(
      'warn',
      'memory',
      `maxmemory ${maxmemory} with maxmemory-policy ${policy}: under memory pressure Redis may evict live sessions, which then end without a lapse event`,
      `${redisCli(where.host, where.port)} CONFIG SET maxmemory-policy noeviction, or give Redis enough memory`,
    ),
  ];
}

/** `maxmemory` and `maxmemory_policy` from `INFO memory`, or `null` when INFO is not allowed or lacks them. */
async function readInfoMemory(redis: RedisConnection): Promise<{ maxmemory: string; policy: string } | null> {
  let text: string;
  try {
    text = String(await redis.send('INFO', ['memory']));
  } catch (error) {
    if (isForbidden(error)) return null;
    throw error;
  }
  const field = (name: string): string | undefined => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim();
  const maxmemory = field('maxmemory');
  const policy = field('maxmemory_policy');
  return maxmemory === undefined || policy === undefined ? null : { maxmemory, policy };
}
