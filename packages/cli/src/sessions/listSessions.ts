import type { RedisIndexedSessionRepository, Session } from '@lapse/repository';
import { byExpiry, summarizeSessions, type SessionSummary } from './SessionSummary.js';

/** Options of {@link listSessions}. */
export interface ListSessionsOptions {
  /** Only the sessions filed under this principal (read from its index). */
  readonly principal?: string;
  /** Only sessions that expire within this many ms. */
  readonly expiringWithinMs?: number;
  /** Called as sessions are read, with how many so far (for progress). */
  readonly onProgress?: (read: number) => void;
}

const BATCH = 100;

/**
 * The live sessions of the repository's namespace (all of them by SCAN, or a principal's from
 * its index), soonest to expire first.
 */
export async function listSessions(repository: RedisIndexedSessionRepository, options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
  const found: SessionSummary[] = [];
  const take = async (sessions: readonly Session[]): Promise<void> => {
    found.push(...(await summarizeSessions(repository, sessions)));
    options.onProgress?.(found.length);
  };
  if (options.principal !== undefined) {
    await take([...(await repository.findByPrincipalName(options.principal)).values()]);
  } else {
    let ids: string[] = [];
    const flush = async (): Promise<void> => {
      const sessions = await Promise.all(ids.map((id) => repository.findById(id)));
      ids = [];
      await take(sessions.filter((session): session is Session => session !== null));
    };
    for await (const id of repository.scanSessionIds()) {
      ids.push(id);
      if (ids.length >= BATCH) await flush();
    }
    await flush();
  }
  const within = options.expiringWithinMs;
  const selected = within === undefined ? found : found.filter((s) => s.expiresInMs !== null && s.expiresInMs <= within);
  return selected.sort(byExpiry);
}
