import { InvalidArgumentError, type RedisClient } from '@lapse/repository';
import { checkOptions, optionRule, type OptionRules, type RedisConnection, toRedisConnection } from '@lapse/repository/internal';
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

/** A consumer name or group: what Redis stream commands and key names take without quoting. */
const STREAM_NAME = optionRule.must('1 to 100 letters, digits or . _ : -', (value) => typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value));

/** Every option of {@link SessionEventListener}, each with its rule: adding an option is adding its line here. */
export const LISTENER_OPTION_RULES = Object.freeze({
  configureKeyspaceNotifications: optionRule.boolean,
  delivery: optionRule.oneOf('broadcast', 'once'),
  name: STREAM_NAME,
  group: STREAM_NAME,
  leaseMs: optionRule.positiveInteger,
  // Clients: toRedisConnection refuses what lapse cannot use, saying what to pass instead (connectionOf).
  subscriber: optionRule.any,
  reader: optionRule.any,
  probeTimeoutMs: optionRule.positiveInteger,
} satisfies OptionRules<keyof SessionEventListenerOptions>);

/**
 * Checks the listener's options (unknown names refused with the nearest known one suggested,
 * types, ranges) and fills in the defaults; throws `InvalidArgumentError` for a bad one.
 */
export function resolveOptions(options: SessionEventListenerOptions): ResolvedOptions {
  checkOptions(options, LISTENER_OPTION_RULES, { owner: 'SessionEventListener' });
  options ??= {};
  const delivery = options.delivery ?? 'broadcast';
  const leaseMs = options.leaseMs ?? 30_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2000;
  return {
    configureKeyspaceNotifications: options.configureKeyspaceNotifications ?? true,
    delivery,
    name: options.name,
    group: options.group ?? 'lapse',
    leaseMs,
    probeTimeoutMs,
    // Checked now: a client lapse cannot use is refused here, with InvalidArgumentError.
    subscriber: connectionOf('subscriber', options.subscriber),
    reader: connectionOf('reader', options.reader),
  };
}

/** The seam connection of the client option `name`; a client lapse cannot use is refused naming that option. */
function connectionOf(name: 'subscriber' | 'reader', client: RedisClient | undefined): RedisConnection | null {
  if (client === undefined) return null;
  try {
    return toRedisConnection(client);
  } catch (error) {
    if (error instanceof InvalidArgumentError && error.argument === 'client') throw new InvalidArgumentError(name, error.message.replace(/^client: /, ''));
    throw error;
  }
}
