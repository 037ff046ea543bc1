import type { SessionLifecycleEvent } from '@lapse/repository';
import type { SessionEnds } from '@lapse/repository/internal';

/**
 * The handler of Spring's created channel `<ns>:event:<db>:created:<id>`: each message (a
 * classic PUBLISH, relayed by every node of a Cluster) becomes a `created` event holding what
 * the first save wrote. Other namespaces and databases, and invalid ids, are ignored.
 */
export function createdEventHandler(
  ends: SessionEnds,
  deliver: (event: SessionLifecycleEvent) => void,
  report: (error: unknown) => void,
): (channel: string, body: string) => void {
  return (channel, body) => {
    try {
      const event = ends.createdEvent(channel, body);
      if (event !== null) deliver(event);
    } catch (error) {
      report(error);
    }
  };
}
