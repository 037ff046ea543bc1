/**
 * `@lapse/events`: session created/deleted/expired events for `@lapse/repository`.
 * @packageDocumentation
 */
export { SessionEventListener } from './SessionEventListener.js';
export type { DeliveryMode, SessionEventListenerOptions } from './SessionEventListenerOptions.js';
export type { SessionDestroyedEvent, SessionEvent, SessionEventListenerEvents } from './SessionEvent.js';
export { SessionEndedError } from './errors/SessionEndedError.js';
/** Also exported by `@lapse/repository` (the same class), where the keyspace checks that throw it live. */
export { KeyspaceNotificationsError } from '@lapse/repository';
