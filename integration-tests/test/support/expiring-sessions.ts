import type { RedisIndexedSessionRepository } from '@lapse/repository';

/**
 * Saves `count` sessions whose timeouts are spread over `spreadSeconds` (1 s, 2 s, …), in
 * batches, and resolves with their ids. `timeoutOf`, when given, chooses each timeout instead
 * (called just before each save, so it can aim at a moment).
 */
export async function saveExpiringSessions(
  repository: RedisIndexedSessionRepository,
  count: number,
  spreadSeconds: number,
  firstSeconds = 1,
  timeoutOf?: (n: number) => number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(1000, count - start) }, async (_, i) => {
        const session = await repository.createSession();
        session.maxInactiveInterval = timeoutOf?.(start + i) ?? firstSeconds + ((start + i) % spreadSeconds);
        session.setAttribute('n', start + i);
        await repository.save(session);
        return session.id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/**
 * The sentinel of a fault test: a session saved after all the others, with a timeout longer
 * than any of theirs, so it expires last. Once its event has arrived, a duplicate of any
 * earlier event has had its chance to arrive too, so "none twice" is measured, not assumed.
 */
export async function saveSentinel(repository: RedisIndexedSessionRepository, timeoutSeconds: number): Promise<string> {
  const session = await repository.createSession();
  session.maxInactiveInterval = timeoutSeconds;
  session.setAttribute('sentinel', true);
  await repository.save(session);
  return session.id;
}

/** How many ids occur more than once. */
export function doubled(ids: readonly string[]): number {
  return ids.length - new Set(ids).size;
}

/** How many of `expected` occur in `received`. */
export function receivedOf(expected: readonly string[], received: readonly string[]): number {
  const got = new Set(received);
  return expected.filter((id) => got.has(id)).length;
}
