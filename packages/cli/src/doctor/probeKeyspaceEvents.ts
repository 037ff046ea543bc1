import { randomUUID } from 'node:crypto';
import type { SessionKeys } from '@lapse/repository';
import type { Redis } from 'ioredis';

/** What {@link probeKeyspaceEvents} saw. */
export type ProbeOutcome = { readonly arrived: readonly string[]; readonly missing: readonly string[] } | { readonly error: string };

/**
 * Checks that Redis publishes `del` and `expired` keyevents without reading its config: on a
 * separate connection it subscribes to both channels, then deletes one short-lived probe key of
 * the namespace and lets another expire after 1 ms, and waits up to `timeoutMs` for both events.
 */
export async function probeKeyspaceEvents(redis: Redis, keys: SessionKeys, timeoutMs = 2000): Promise<ProbeOutcome> {
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined);
  const key = `${keys.namespace}:lapse-doctor-probe:${randomUUID()}`;
  const arrived = new Set<string>();
  let done: () => void = () => undefined;
  const both = new Promise<void>((resolve) => {
    done = resolve;
  });
  subscriber.on('message', (channel: string, message: string) => {
    if (message !== key) return;
    arrived.add(channel === keys.expiredChannel ? 'expired' : 'del');
    if (arrived.size === 2) done();
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await subscriber.subscribe(keys.expiredChannel, keys.deletedChannel);
    await redis.set(key, '');
    await redis.del(key);
    await redis.set(key, '', 'PX', 1);
    // Reading a key that is past its TTL makes Redis expire it at once.
    const poll = setInterval(() => void redis.exists(key).catch(() => undefined), 20);
    await Promise.race([both, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearInterval(poll);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    subscriber.disconnect();
    await redis.del(key).catch(() => undefined);
  }
  const all = ['del', 'expired'];
  return { arrived: all.filter((e) => arrived.has(e)), missing: all.filter((e) => !arrived.has(e)) };
}
