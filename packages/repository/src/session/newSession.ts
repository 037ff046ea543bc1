import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import { reservedSessionIdReason } from '../keys/reservedSessionIds.js';
import { checkCreateSessionOptions } from '../options/repositoryOptionRules.js';
import type { CreateSessionOptions } from '../SessionRepository.js';
import type { SaveMode } from './SaveMode.js';
import { Session } from './Session.js';
import type { SessionIdGenerator } from './SessionIdGenerator.js';

/** What a repository's new sessions take from its options. */
export interface NewSessionDefaults {
  readonly clock: () => number;
  readonly sessionIdGenerator: SessionIdGenerator;
  readonly defaultMaxInactiveInterval: number;
  readonly saveMode: SaveMode;
}

/**
 * A new session, not yet saved, as both repositories' `createSession` makes it: `options`
 * checked (`InvalidArgumentError`), created and last accessed now by the repository's clock.
 * `changeId` is the Cluster's same-shard id change (see `sameShardId`).
 */
export function newSession(options: CreateSessionOptions, defaults: NewSessionDefaults, changeId?: (current: string) => string): Session {
  checkCreateSessionOptions(options);
  const now = defaults.clock();
  return new Session({
    id: newSessionId(defaults.sessionIdGenerator, options.id),
    creationTime: now,
    lastAccessedTime: now,
    maxInactiveInterval: options.maxInactiveInterval ?? defaults.defaultMaxInactiveInterval,
    saveMode: defaults.saveMode,
    idGenerator: defaults.sessionIdGenerator,
    ...(changeId === undefined ? {} : { changeId }),
  });
}

/** The id for a new session: the caller's, if it is valid for the generator and names no other key of the layout, else a generated one. */
function newSessionId(generator: SessionIdGenerator, requested: string | undefined): string {
  if (requested === undefined) return generator.generate();
  if (!generator.isValid(requested)) {
    throw new InvalidArgumentError('id', `${JSON.stringify(requested.slice(0, 80))} is not a valid session id for this repository's sessionIdGenerator`);
  }
  const reserved = reservedSessionIdReason(requested);
  if (reserved !== null) throw new InvalidArgumentError('id', `${JSON.stringify(requested.slice(0, 80))} cannot be a session id: it ${reserved}`);
  return requested;
}
