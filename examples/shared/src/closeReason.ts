import { SessionEndedError } from '@lapse/events';

/** The WebSocket close code the example uses when the socket's session has ended (a private-use code). */
export const SESSION_ENDED_CLOSE_CODE = 4001;

/**
 * The close reason sent to the client for a watch signal's abort reason, e.g. `session expired`
 * or `session deleted (destroy)`; WebSocket close reasons are limited to 123 bytes.
 */
export function closeReason(reason: unknown): string {
  if (!(reason instanceof SessionEndedError)) return 'session ended';
  const text = reason.deletionReason === undefined ? `session ${reason.how}` : `session ${reason.how} (${reason.deletionReason})`;
  return Buffer.byteLength(text) <= 123 ? text : `session ${reason.how}`;
}
