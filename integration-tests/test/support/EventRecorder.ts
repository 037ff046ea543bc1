import type { SessionEvent } from '@lapse/events';
import { EventRecorder as HarnessEventRecorder } from '@lapse/redis-harness/vitest';

/** The harness's one event recorder, typed for lapse's session events (no copy of its logic). */
export class EventRecorder extends HarnessEventRecorder<SessionEvent> {}

export { eventually } from '@lapse/redis-harness/vitest';
