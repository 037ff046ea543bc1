import type { RedisIndexedSessionRepository, Session } from '@lapse/repository';
import { principalOf } from './principalOf.js';

/** One live session as `lapse ls` shows it. */
export interface SessionSummary {
  readonly id: string;
  /** The user it is filed under, or `null`. */
  readonly principal: string | null;
  /** Epoch ms. */
  readonly creationTime: number;
  /** Epoch ms. */
  readonly lastAccessedTime: number;
  /** Seconds; negative means never expires. */
  readonly maxInactiveInterval: number;
  /** Time left before it expires (its shadow key's TTL, by Redis's clock), or `null` for never. */
  readonly expiresInMs: number | null;
}

/** Summaries of `sessions`, with each shadow key's TTL read in one pipeline; sessions gone meanwhile are left out. */
export async function summarizeSessions(repository: RedisIndexedSessionRepository, sessions: readonly Session[]): Promise<SessionSummary[]> {
  if (sessions.length === 0) return [];
  // Sent together: one write, replies in order.
  const replies = await Promise.all(
    sessions.map((session) => {
      const shadowKey = repository.keyspace.of(session.id).shadowKey(session.id);
      return repository.connection.send('PTTL', [shadowKey], shadowKey);
    }),
  );
  const summaries: SessionSummary[] = [];
  sessions.forEach((session, i) => {
    const ttl = replies[i] ?? -2;
    if (ttl === -2) return;
    summaries.push({
      id: session.id,
      principal: principalOf(repository, (name) => session.getAttribute(name)),
      creationTime: session.creationTime,
      lastAccessedTime: session.lastAccessedTime,
      maxInactiveInterval: session.maxInactiveInterval,
      expiresInMs: typeof ttl === 'number' && ttl >= 0 ? ttl : null,
    });
  });
  return summaries;
}

/** Soonest to expire first, never-expiring last, then by id. */
export function byExpiry(a: SessionSummary, b: SessionSummary): number {
  const ea = a.expiresInMs ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresInMs ?? Number.POSITIVE_INFINITY;
  return ea === eb ? a.id.localeCompare(b.id) : ea - eb;
}
