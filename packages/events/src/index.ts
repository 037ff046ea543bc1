/**
 * `@lapse/events`: session created/deleted/expired events for `@lapse/repository`.
 * @packageDocumentation
 */
export { SessionEventListener } from './SessionEventListener.js';
export type { DeliveryMode, SessionEventListenerOptions } from './SessionEventListenerOptions.js';
export type { SessionDestroyedEvent, SessionEventListenerEvents } from './SessionEvent.js';
/** A session event, `{ type, sessionId, session }`: the repository's own event type. */
export type { SessionLifecycleEvent as SessionEvent } from '@lapse/repository';
export { SessionEndedError } from './errors/SessionEndedError.js';
/** Also exported by `@lapse/repository` (the same class), where the keyspace checks that throw it live. */
export { KeyspaceNotificationsError } from '@lapse/repository';
