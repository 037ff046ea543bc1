/** Number formatting shared by the table, BENCHMARKS.md and the chart. */

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `1,234/s` */
export function rate(perSecond: number): string {
  return `${count(perSecond)}/s`;
}

/** A latency in ms with sensible precision: 0.123 ms, 12.3 ms, 123 ms. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1) return `${value.toFixed(3)} ms`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  return `${Math.round(value)} ms`;
}

/** A lag: ms below 10 s, else seconds. */
export function lag(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 10_000) return ms(value);
  return `${(value / 1000).toFixed(1)} s`;
}

/** `1.23×` */
export function ratio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

export function bytes(value: number): string {
  return `${count(value)} B`;
}

/** `1m 23s` / `45.2 s` */
export function duration(msValue: number): string {
  if (msValue < 1000) return `${Math.round(msValue)} ms`;
  const seconds = msValue / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}
