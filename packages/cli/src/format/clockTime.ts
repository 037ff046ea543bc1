/** `HH:MM` of an epoch-ms instant in the local time zone. */
export function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** The instant as ISO 8601 UTC, or `-` for something that is not a time. */
export function isoTime(epochMs: number | null | undefined): string {
  return typeof epochMs === 'number' && Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : '-';
}
