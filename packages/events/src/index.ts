/**
 * `@lapse/events`: session created/deleted/expired events for `@lapse/repository`.
 * @packageDocumentation
 */
export { SessionEventListener } from './SessionEventListener.js';
export type { DeliveryMode, SessionEventListenerOptions } from './SessionEventListenerOptions.js';
export type { SessionDestroyedEvent, SessionEvent, SessionEventListenerEvents } from './SessionEvent.js';
export { SessionEndedError } from './errors/SessionEndedError.js';
export { KeyspaceNotificationsError } from './errors/KeyspaceNotificationsError.js';
export { ensureKeyspaceNotifications } from './keyspace/ensureKeyspaceNotifications.js';
export type { KeyspaceNotificationsStatus } from './keyspace/ensureKeyspaceNotifications.js';
export { isCommandForbidden, missingKeyspaceFlags, readKeyspaceEvents, withRequiredKeyspaceFlags } from './keyspace/keyspace-flags.js';
export type { KeyspaceEventsState } from './keyspace/keyspace-flags.js';
export { probeKeyspaceEvents, probeTargetOf, requireKeyspaceEvents } from './keyspace/probeKeyspaceEvents.js';
export type { ProbeChannels, ProbeOutcome, ProbeTarget } from './keyspace/probeKeyspaceEvents.js';
