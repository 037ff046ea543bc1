import type { RedisIndexedSessionRepository } from '@lapse/repository';

/** The principal (user) name of a session's attributes, as the repository resolves it, or `null`. */
export function principalOf(repository: RedisIndexedSessionRepository, getAttribute: (name: string) => unknown): string | null {
  return repository.options.principalNameResolver.resolve(getAttribute);
}
