import type { SessionLifecycleEvent } from '@lapse/repository';

/** A `deleted` or `expired` event, as also delivered on `'destroyed'`. */
export interface SessionDestroyedEvent extends SessionLifecycleEvent {
  readonly type: 'deleted' | 'expired';
}

/** The events of a {@link SessionEventListener} and their payloads. */
export interface SessionEventListenerEvents {
  /** A session was saved for the first time. `session` holds what that save wrote. */
  created: (event: SessionLifecycleEvent) => void;
  /** A session was deleted (`deleteById`, logout, or any DEL of its shadow key). */
  deleted: (event: SessionDestroyedEvent) => void;
  /** A session reached its inactivity timeout. */
  expired: (event: SessionDestroyedEvent) => void;
  /** After every `deleted` and `expired`, with the same event. */
  destroyed: (event: SessionDestroyedEvent) => void;
  /** A problem that does not stop the listener: corrupt data, a Redis error, a throwing handler. */
  error: (error: Error) => void;
}
