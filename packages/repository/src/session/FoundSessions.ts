import type { CorruptSessionDataError } from '../errors/CorruptSessionDataError.js';
import type { Session } from './Session.js';

/**
 * What `findByPrincipalName` (and `findByIndexNameAndIndexValue`) found: Spring's shape, a
 * `Map` of the live sessions by id, and {@link unreadable}, the live sessions filed under the
 * same value whose stored data could not be read, which are not in the map.
 */
export class FoundSessions extends Map<string, Session> {
  /**
   * One {@link CorruptSessionDataError} (with `sessionId` and `key`) per live session of the
   * index whose data does not decode (or whose hash is not a hash): reported here rather than
   * failing the whole lookup. `deleteByPrincipalName` ends these too.
   */
  readonly unreadable: CorruptSessionDataError[] = [];
}
