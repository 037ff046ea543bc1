import type { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import type { Session } from './Session.js';

/**
 * What `findByPrincipalName` (and `findByIndexNameAndIndexValue`) found: Spring's shape, a plain
 * `Map` of the live sessions by id, carrying {@link FoundSessions.unreadable}: the live sessions
 * filed under the same value whose stored data could not be read, which are not in the map.
 */
export interface FoundSessions extends Map<string, Session> {
  /**
   * One {@link CorruptSessionDataError} (with `sessionId` and `key`) per live session of the
   * index whose data does not decode (or whose hash is not a hash): reported here rather than
   * failing the whole lookup. `deleteByPrincipalName` ends these too. A non-enumerable property
   * of the `Map`, so the result still compares equal to a plain `Map` of the same sessions.
   */
  readonly unreadable: CorruptSessionDataError[];
}

/** An empty {@link FoundSessions}: a plain `Map` with an empty, non-enumerable `unreadable` list. */
export function foundSessions(): FoundSessions {
  return Object.defineProperty(new Map<string, Session>(), 'unreadable', { value: [], enumerable: false }) as FoundSessions;
}
