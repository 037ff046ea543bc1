import type { RedisIndexedSessionRepository, SessionLifecycleEvent } from '@lapse/repository';

/**
 * The handler of Spring's created channel `<ns>:event:<db>:created:<id>`: each message (a
 * classic PUBLISH, relayed by every node of a Cluster) becomes a `created` event holding what
 * the first save wrote. Other namespaces and databases, and invalid ids, are ignored.
 */
export function createdEventHandler(
  repository: RedisIndexedSessionRepository,
  deliver: (event: SessionLifecycleEvent) => void,
  report: (error: unknown) => void,
): (channel: string, body: string) => void {
  const { channels } = repository.keyspace;
  return (channel, body) => {
    const sessionId = channels.sessionIdOfCreatedChannel(channel);
    if (sessionId === null || !repository.isValidSessionId(sessionId)) return;
    try {
      deliver({ type: 'created', sessionId, session: repository.sessionFromCreatedMessage(sessionId, body) });
    } catch (error) {
      report(error);
    }
  };
}
