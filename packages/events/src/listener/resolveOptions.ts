import { InvalidArgumentError, type RedisConnection, toRedisConnection } from '@lapse/repository';
import type { DeliveryMode, SessionEventListenerOptions } from '../SessionEventListenerOptions.js';

/** {@link SessionEventListenerOptions} checked, with every default filled in. */
export interface ResolvedOptions {
  readonly configureKeyspaceNotifications: boolean;
  readonly delivery: DeliveryMode;
  readonly name: string | undefined;
  readonly group: string;
  readonly leaseMs: number;
  readonly probeTimeoutMs: number;
  /** Where the listener opens its subscriber connections; `null`: the repository's client. */
  readonly subscriber: RedisConnection | null;
  /** Where the listener opens its blocking reader; `null`: the repository's client. */
  readonly reader: RedisConnection | null;
}

/** Checks the listener's options and fills in the defaults; throws {@link InvalidArgumentError} for a bad one. */
export function resolveOptions(options: SessionEventListenerOptions): ResolvedOptions {
  const delivery = options.delivery ?? 'broadcast';
  if (delivery !== 'broadcast' && delivery !== 'once') {
    throw new InvalidArgumentError('delivery', `must be 'broadcast' or 'once', got ${JSON.stringify(delivery)}`);
  }
  const leaseMs = options.leaseMs ?? 30_000;
  if (!Number.isInteger(leaseMs) || leaseMs <= 0) throw new InvalidArgumentError('leaseMs', 'must be a positive integer');
  const probeTimeoutMs = options.probeTimeoutMs ?? 2000;
  if (!Number.isInteger(probeTimeoutMs) || probeTimeoutMs <= 0) {
    throw new InvalidArgumentError('probeTimeoutMs', 'must be a positive integer');
  }
  for (const [name, value] of [['name', options.name], ['group', options.group]] as const) {
    if (value !== undefined && (typeof value !== 'string' || !/^[\w.:-]{1,100}$/.test(value))) {
      throw new InvalidArgumentError(name, 'must be 1 to 100 letters, digits or . _ : -');
    }
  }
  return {
    configureKeyspaceNotifications: options.configureKeyspaceNotifications ?? true,
    delivery,
    name: options.name,
    group: options.group ?? 'lapse',
    leaseMs,
    probeTimeoutMs,
    // Checked now: a client lapse cannot use is refused here, with InvalidArgumentError.
    subscriber: options.subscriber === undefined ? null : toRedisConnection(options.subscriber),
    reader: options.reader === undefined ? null : toRedisConnection(options.reader),
  };
}
