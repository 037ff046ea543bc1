import type { BenchConfig } from '../config.js';

/** The three ways a session's end can reach a listener. */
export type LagMode = 'untouched' | 'minute-buckets' | 'sorted-set';

export const LAG_MODES: readonly LagMode[] = ['untouched', 'minute-buckets', 'sorted-set'];

export type LagConfig = BenchConfig['lag'];

/** What a lag worker measured. */
export interface LagOutcome {
  readonly mode: LagMode;
  readonly live: number;
  readonly due: number;
  /** Lags (ms, sorted) of the events that came within the cap. */
  readonly lags: number[];
  /** Due sessions without an event within the cap. */
  readonly missed: number;
  readonly capMs: number;
  /** Extra events (a second event for a session, or one for a session that was not due). */
  readonly duplicates: number;
  readonly unexpected: number;
  readonly listenerErrors: number;
  /** For `untouched`: what the SessionEventListener received (the row itself is the pub/sub arrivals). */
  readonly listenerLags?: number[];
  readonly listenerMissed?: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; phase: string; received: number; due: number }
  | { type: 'result'; outcome: LagOutcome }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'go'; startAt: number };
