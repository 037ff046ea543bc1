import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import type { SessionKeyspace } from './SessionKeyspace.js';
import { reservedSessionIdReason } from './reservedSessionIds.js';

/** The error for an id the repository does not accept. */
export function invalidId(id: unknown): InvalidArgumentError {
  const text = JSON.stringify(String(id).slice(0, 80));
  const reserved = typeof id === 'string' ? reservedSessionIdReason(id) : null;
  return new InvalidArgumentError('id', reserved === null ? `${text} is not a valid session id for this repository's sessionIdGenerator` : `${text} cannot be a session id: it ${reserved}`);
}

/** A new id in the same shard as the current one, so an id change stays one script in one slot. */
export function sameShardId(keyspace: SessionKeyspace, generate: () => string): (current: string) => string {
  return (current) => {
    const shard = keyspace.of(current);
    for (;;) {
      const id = generate();
      if (keyspace.of(id) === shard) return id;
    }
  };
}
