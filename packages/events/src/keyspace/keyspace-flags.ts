/**
 * The `notify-keyspace-events` value with what lapse needs added, exactly as Spring's
 * `ConfigureNotifyKeyspaceEventsAction` computes it (research `spring-session.md` §3):
 * `E` (keyevent channels), `g` (`del`) and `x` (`expired`), the latter two implied by `A`.
 * `""` → `"Egx"`, `"A"` → `"AE"`, `"K"` → `"KEgx"`, `"AE"` unchanged.
 */
export function withRequiredKeyspaceFlags(current: string): string {
  let value = current;
  if (!value.includes('E')) value += 'E';
  if (!value.includes('A') && !value.includes('g')) value += 'g';
  if (!value.includes('A') && !value.includes('x')) value += 'x';
  return value;
}
