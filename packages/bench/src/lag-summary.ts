import * as f from './format.js';
import type { LagOutcome } from './measure/lag-protocol.js';

export interface LagSummary {
  readonly received: number;
  readonly missed: number;
  /** ms; Infinity where the percentile falls among the missed. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly p50Text: string;
  readonly p99Text: string;
  readonly maxText: string;
}

/**
 * Percentiles over every due session, a missed one counting as later than the cap (so a
 * percentile that falls among them reads "> cap").
 */
export function lagSummary(outcome: Pick<LagOutcome, 'lags' | 'missed' | 'due' | 'capMs'>): LagSummary {
  const { lags, missed, due, capMs } = outcome;
  const at = (p: number): number => {
    const rank = Math.max(1, Math.ceil((p / 100) * due));
    return rank <= lags.length ? (lags[rank - 1] as number) : Number.POSITIVE_INFINITY;
  };
  const text = (value: number): string => (Number.isFinite(value) ? f.lag(value) : `> ${f.lag(capMs)}`);
  const p50 = at(50);
  const p99 = at(99);
  const max = missed > 0 || lags.length === 0 ? Number.POSITIVE_INFINITY : (lags[lags.length - 1] as number);
  return { received: lags.length, missed, p50, p99, max, p50Text: text(p50), p99Text: text(p99), maxText: text(max) };
}
