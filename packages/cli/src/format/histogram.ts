/** A bar of `#` for `count`, scaled so that `max` fills `width`; at least one `#` for a non-zero count. */
export function histogramBar(count: number, max: number, width = 40): string {
  if (count <= 0 || max <= 0) return '';
  return '#'.repeat(Math.max(1, Math.round((count / max) * width)));
}
