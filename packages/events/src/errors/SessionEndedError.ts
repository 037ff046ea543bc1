import { LapseError } from '@lapse/repository';

/**
 * The abort reason of a {@link SessionEventListener.watch} signal: the session ended.
 * `how` says how: `'deleted'`, `'expired'`, or `'missing'` when it was already gone (or never
 * stored) when the watch began.
 */
export class SessionEndedError extends LapseError {
  readonly sessionId: string;
  readonly how: 'deleted' | 'expired' | 'missing';
  /** For `'deleted'`: the reason given to `deleteById`, if any. */
  readonly deletionReason: string | undefined;

  constructor(sessionId: string, how: 'deleted' | 'expired' | 'missing', deletionReason?: string) {
    super('ERR_LAPSE_SESSION_ENDED', `session ${sessionId} ${how === 'missing' ? 'does not exist' : `was ${how}`}${deletionReason === undefined ? '' : ` (${deletionReason})`}`);
    this.sessionId = sessionId;
    this.how = how;
    this.deletionReason = deletionReason;
  }
}
