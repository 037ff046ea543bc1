import { randomUUID } from 'node:crypto';
import type { RedisConnection, RedisNodeConnection } from '../../redis/clients/RedisConnection.js';
import { KeyspaceNotificationsError } from '../../errors/KeyspaceNotificationsError.js';

/** The keyevent channels a probe watches, and the namespace its probe key lives in. */
export interface ProbeChannels {
  readonly namespace: string;
  /** `__keyevent@<db>__:del` */
  readonly deletedChannel: string;
  /** `__keyevent@<db>__:expired` */
  readonly expiredChannel: string;
}

/** Where a probe runs: one server (a single Redis or one Cluster master). */
export interface ProbeTarget {
  /** Sends one command to the server. */
  send(name: string, args: readonly (string | number)[]): Promise<unknown>;
  /**
   * Starts hearing `del` and `expired` keyevents of the server (an existing subscription or a
   * new one); resolves, once listening, with the function that stops it.
   */
  listen(onKeyevent: (channel: string, key: string) => void): Promise<() => void | Promise<void>>;
}

/**
 * A probe target on a seam connection: commands go to `node` (one master of a Cluster, or
 * the single Redis when omitted), and the keyevents are heard on a subscriber connection of
 * the probe's own, opened with `openSubscriber(node)` and closed when the probe ends.
 */
export function probeTargetOf(connection: RedisConnection, channels: ProbeChannels, node?: RedisNodeConnection): ProbeTarget {
  return {
    send: (name, args) => (node === undefined ? connection.send(name, args, typeof args[0] === 'string' ? args[0] : undefined) : node.send(name, args)),
    listen: async (onKeyevent) => {
      const subscriber = await connection.openSubscriber(node);
      try {
        await subscriber.subscribe([channels.expiredChannel, channels.deletedChannel], onKeyevent);
      } catch (error) {
        await subscriber.close();
        throw error;
      }
      return () => subscriber.close();
    },
  };
}

/** Which of the two keyevents arrived within the time allowed. */
export interface ProbeOutcome {
  readonly arrived: readonly ('del' | 'expired')[];
  readonly missing: readonly ('del' | 'expired')[];
}

/** How often the probe key is read while it should expire: reading a key past its TTL makes Redis expire it at once. */
const EXPIRE_POLL_MS = 20;

/**
 * Checks that Redis publishes `del` and `expired` keyevents without reading its config (for
 * managed Redis that forbids `CONFIG`): while listening, it deletes one short-lived key of the
 * namespace (`<namespace>:<label>:<uuid>`) and lets it expire after 1 ms once more, and waits up
 * to `timeoutMs` for both events. The key is gone afterwards. Rejects when a command fails.
 * Used by `SessionEventListener.start()` and by `lapse doctor`.
 */
export async function probeKeyspaceEvents(
  target: ProbeTarget,
  channels: ProbeChannels,
  options: { readonly timeoutMs?: number; readonly label?: string } = {},
): Promise<ProbeOutcome> {
  const key = `${channels.namespace}:${options.label ?? 'lapse-probe'}:${randomUUID()}`;
  const arrived = new Set<'del' | 'expired'>();
  let done: () => void = () => undefined;
  const both = new Promise<void>((resolve) => {
    done = resolve;
  });
  const stop = await target.listen((channel, message) => {
    if (message !== key) return;
    if (channel === channels.expiredChannel) arrived.add('expired');
    else if (channel === channels.deletedChannel) arrived.add('del');
    if (arrived.size === 2) done();
  });
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  try {
    await target.send('SET', [key, '']);
    await target.send('DEL', [key]);
    await target.send('SET', [key, '', 'PX', 1]);
    poll = setInterval(() => void target.send('EXISTS', [key]).catch(() => undefined), EXPIRE_POLL_MS);
    await Promise.race([both, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutMs ?? 2000)))]);
  } finally {
    clearTimeout(timer);
    clearInterval(poll);
    await stop();
    await target.send('DEL', [key]).catch(() => undefined);
  }
  const all = ['del', 'expired'] as const;
  return { arrived: all.filter((e) => arrived.has(e)), missing: all.filter((e) => !arrived.has(e)) };
}

/**
 * Probes as {@link probeKeyspaceEvents} does and rejects with
 * {@link KeyspaceNotificationsError} when an event did not arrive within `timeoutMs`.
 */
export async function requireKeyspaceEvents(target: ProbeTarget, channels: ProbeChannels, timeoutMs: number): Promise<void> {
  const outcome = await probeKeyspaceEvents(target, channels, { timeoutMs });
  if (outcome.missing.length > 0) {
    throw new KeyspaceNotificationsError(
      `Redis does not publish ${outcome.missing.join(' or ')} keyspace events (notify-keyspace-events must hold E, g and x); CONFIG is not allowed here, so set it in redis.conf or your provider's console`,
      null,
    );
  }
}
