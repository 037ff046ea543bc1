/** The oldest Redis lapse supports. */
export const MIN_REDIS_VERSION = '6.2.0';

/** `a` compared with `b` as dotted version numbers: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `INFO` text as a map of its `name:value` lines. */
export function parseInfo(text: string): Map<string, string> {
  const info = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) info.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return info;
}
