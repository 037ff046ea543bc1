import type { RedisIndexedSessionRepository } from '@lapse/repository';

/**
 * Saves `count` sessions whose timeouts are spread over `spreadSeconds` (1 s, 2 s, …), in
 * batches, and resolves with their ids.
 */
export async function saveExpiringSessions(
  repository: RedisIndexedSessionRepository,
  count: number,
  spreadSeconds: number,
  firstSeconds = 1,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(1000, count - start) }, async (_, i) => {
        const session = await repository.createSession();
        session.maxInactiveInterval = firstSeconds + ((start + i) % spreadSeconds);
        session.setAttribute('n', start + i);
        await repository.save(session);
        return session.id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/** How many ids occur more than once. */
export function doubled(ids: readonly string[]): number {
  return ids.length - new Set(ids).size;
}
