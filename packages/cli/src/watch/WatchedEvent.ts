import type { SessionEvent } from '@lapse/events';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Output, Style } from '../cli/Output.js';
import { principalOf } from '../sessions/principalOf.js';

/** One session event as `lapse watch` prints it (and as each `--json` line holds it). */
export interface WatchedEvent {
  /** When it arrived, ISO 8601 UTC. */
  readonly time: string;
  readonly type: 'created' | 'deleted' | 'expired';
  readonly sessionId: string;
  /** The user of the session's last stored state, or `null`. */
  readonly principal: string | null;
  /**
   * How late it arrived, in ms: for `expired`, after the session's deadline (last access plus
   * timeout); for `created`, after the session's creation time; `null` for `deleted`.
   */
  readonly lagMs: number | null;
  /** For `deleted`: the reason given to `deleteById`, or `null`. */
  readonly reason: string | null;
}

/** The {@link WatchedEvent} for a listener event that arrived at `arrivedAt` (epoch ms). */
export function toWatchedEvent(repository: RedisIndexedSessionRepository, event: SessionEvent, arrivedAt: number): WatchedEvent {
  const session = event.session;
  let lagMs: number | null = null;
  if (session !== null && event.type === 'expired' && session.maxInactiveInterval > 0) {
    lagMs = arrivedAt - (session.lastAccessedTime + session.maxInactiveInterval * 1000);
  } else if (session !== null && event.type === 'created') {
    lagMs = arrivedAt - session.creationTime;
  }
  return {
    time: new Date(arrivedAt).toISOString(),
    type: event.type,
    sessionId: event.sessionId,
    principal: session === null ? null : principalOf(repository, (name) => session.getAttribute(name)),
    lagMs,
    reason: event.reason ?? null,
  };
}

const STYLE: Readonly<Record<WatchedEvent['type'], Style>> = { created: 'green', deleted: 'yellow', expired: 'magenta' };

/** One text line: `<time>  <type>  <id>  principal=<name>  lag=<ms>ms  reason=<reason>`. */
export function formatWatchedEvent(event: WatchedEvent, output: Output): string {
  const parts = [
    output.paint('dim', event.time),
    output.paint(STYLE[event.type], event.type.padEnd(7)),
    event.sessionId,
    `principal=${event.principal ?? '-'}`,
  ];
  if (event.lagMs !== null) parts.push(`lag=${event.lagMs}ms`);
  if (event.reason !== null) parts.push(`reason=${JSON.stringify(event.reason)}`);
  return parts.join('  ');
}
