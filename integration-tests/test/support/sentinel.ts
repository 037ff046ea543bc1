import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { EventRecorder } from './EventRecorder.js';

/**
 * Before a test checks that an event did NOT arrive: saves and deletes a sentinel session and
 * waits for its `created` (pub/sub: behind every created message published before it) and its
 * `deleted` (the event stream: behind every session end recorded before it). On a single
 * Redis; a Cluster has one stream per shard, so there a sentinel must expire last instead.
 */
export async function awaitSentinel(repository: RedisIndexedSessionRepository, events: EventRecorder, timeoutMs = 5000): Promise<void> {
  const session = await repository.createSession();
  session.setAttribute('sentinel', true);
  await repository.save(session);
  await events.next('created', session.id, timeoutMs);
  await repository.deleteById(session.id);
  await events.next('deleted', session.id, timeoutMs);
}
