import * as f from '../format.js';
import type { LagResult } from '../measure/event-lag.js';
import type { LagMode } from '../measure/lag-protocol.js';
import { lagSummary } from '../lag-summary.js';
import { LAG_LABELS } from './tables.js';

const WIDTH = 760;
const HEIGHT = 478;
const PLOT = { left: 64, right: 24, top: 72, bottom: 122 };
const COLORS: Readonly<Record<LagMode, string>> = { 'sorted-set': '#2563eb', 'minute-buckets': '#d97706', untouched: '#6b7280' };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function n(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

/**
 * The event-lag distribution as a cumulative chart: for each mode, the share of the due
 * sessions whose event had arrived by a given lag (log scale from 0.1 ms to the cap). A line
 * that never reaches 100 % is the share missed.
 */
export function eventLagSvg(results: readonly LagResult[], title: string): string {
  const withData = results.filter((r) => r.outcome !== null);
  const capMs = Math.max(1000, ...withData.map((r) => r.outcome?.capMs ?? 0));
  const minLog = -1; // 0.1 ms
  const maxLog = Math.ceil(Math.log10(capMs));
  const plotW = WIDTH - PLOT.left - PLOT.right;
  const plotH = HEIGHT - PLOT.top - PLOT.bottom;
  const x = (ms: number): number => PLOT.left + ((Math.log10(Math.max(ms, 10 ** minLog)) - minLog) / (maxLog - minLog)) * plotW;
  const y = (share: number): number => PLOT.top + (1 - share) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="15" font-weight="600" fill="#111827">${esc(title)}</text>`,
    `<text x="${PLOT.left}" y="42" fill="#4b5563">Share of the due sessions whose expired event had arrived, by lag after the deadline (log scale).</text>`,
    `<text x="${PLOT.left}" y="56" fill="#4b5563">A line that stops short of 100 % is the share missed (no event within the cap).</text>`,
  );
  // Grid and axes.
  for (let share = 0; share <= 1.0001; share += 0.25) {
    parts.push(`<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${n(y(share))}" y2="${n(y(share))}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${PLOT.left - 8}" y="${n(y(share) + 4)}" text-anchor="end" fill="#374151">${Math.round(share * 100)} %</text>`);
  }
  for (let p = minLog; p <= maxLog; p++) {
    const ms = 10 ** p;
    parts.push(`<line x1="${n(x(ms))}" x2="${n(x(ms))}" y1="${PLOT.top}" y2="${PLOT.top + plotH}" stroke="#e5e7eb"/>`);
    const label = ms < 1000 ? `${ms < 1 ? ms.toFixed(1) : String(ms)} ms` : `${ms / 1000} s`;
    parts.push(`<text x="${n(x(ms))}" y="${PLOT.top + plotH + 18}" text-anchor="middle" fill="#374151">${label}</text>`);
  }
  parts.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`);
  parts.push(`<text x="${PLOT.left + plotW / 2}" y="${PLOT.top + plotH + 38}" text-anchor="middle" fill="#111827">lag: event received − shadow key's deadline (as Redis holds it)</text>`);
  // Target markers.
  for (const [ms, label] of [
    [100, 'p99 target, sorted set'],
    [1000, 'max, sorted set'],
    [61_000, 'max, minute buckets'],
  ] as const) {
    if (ms > capMs) continue;
    parts.push(`<line x1="${n(x(ms))}" x2="${n(x(ms))}" y1="${PLOT.top}" y2="${PLOT.top + plotH}" stroke="#dc2626" stroke-dasharray="4 3" stroke-width="1"/>`);
    parts.push(`<text x="${n(x(ms) - 4)}" y="${PLOT.top + 12}" text-anchor="end" font-size="10" fill="#dc2626">${esc(label)}</text>`);
  }
  parts.push(`<line x1="${n(x(capMs))}" x2="${n(x(capMs))}" y1="${PLOT.top}" y2="${PLOT.top + plotH}" stroke="#6b7280" stroke-dasharray="2 3"/>`);
  const capLabelX = n(x(capMs) + 11);
  const capLabelY = n(PLOT.top + plotH / 2);
  parts.push(`<text x="${capLabelX}" y="${capLabelY}" transform="rotate(-90 ${capLabelX} ${capLabelY})" text-anchor="middle" font-size="10" fill="#4b5563">cap ${esc(f.lag(capMs))}: later = missed</text>`);
  // The cumulative lines.
  let legendY = PLOT.top + plotH + 64;
  const legendX = PLOT.left;
  for (const result of withData) {
    const outcome = result.outcome;
    if (outcome === null) continue;
    const color = COLORS[result.mode];
    const d: string[] = [`M${n(x(10 ** minLog))} ${n(y(0))}`];
    outcome.lags.forEach((lag, i) => {
      d.push(`H${n(x(lag))}`, `V${n(y((i + 1) / outcome.due))}`);
    });
    d.push(`H${n(x(capMs))}`);
    parts.push(`<path d="${d.join('')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    const s = lagSummary(outcome);
    const legend = `${LAG_LABELS[result.mode]}: p50 ${s.p50Text}, p99 ${s.p99Text}, ${f.count(s.missed)} missed`;
    parts.push(`<rect x="${legendX}" y="${legendY - 9}" width="14" height="4" fill="${color}"/>`);
    parts.push(`<text x="${legendX + 20}" y="${legendY - 4}" fill="#111827">${esc(legend)}</text>`);
    legendY += 18;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
