/**
 * The rules for `notify-keyspace-events`, in one place (the listener, `lapse stats` and
 * `lapse doctor` all use them). lapse needs `E` (keyevent channels), `g` (`del`) and `x`
 * (`expired`); `A` stands for `g` and `x` among others.
 */

/** The flags lapse needs that `value` lacks, of `E`, `g`, `x`, in that order. */
export function missingKeyspaceFlags(value: string): string[] {
  const missing: string[] = [];
  if (!value.includes('E')) missing.push('E');
  if (!value.includes('A') && !value.includes('g')) missing.push('g');
  if (!value.includes('A') && !value.includes('x')) missing.push('x');
  return missing;
}

/**
 * The `notify-keyspace-events` value with what lapse needs added, exactly as Spring's
 * `ConfigureNotifyKeyspaceEventsAction` computes it (`docs/spring-session.md` §3).
 * `""` → `"Egx"`, `"A"` → `"AE"`, `"K"` → `"KEgx"`, `"AE"` unchanged.
 */
export function withRequiredKeyspaceFlags(current: string): string {
  return current + missingKeyspaceFlags(current).join('');
}

/** Whether `error` says a command is not allowed here (ACL, a renamed or disabled command such as CONFIG on managed Redis). */
export function isCommandForbidden(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /NOPERM|unknown command|ERR unknown|renamed|not allowed|disabled/i.test(message);
}

/** What a server's `notify-keyspace-events` holds, as far as lapse is concerned. */
export interface KeyspaceEventsState {
  /** The setting, or `null` when `CONFIG GET` is not allowed. */
  readonly value: string | null;
  /** The flags lapse needs that it lacks, of `E`, `g`, `x` (empty when `value` is `null`). */
  readonly missing: readonly string[];
  /** The value lapse would set (the current one plus what is missing); `null` when `value` is. */
  readonly wanted: string | null;
}

/**
 * Reads `notify-keyspace-events` with `CONFIG GET` through `send` (one server's command
 * function). A forbidden `CONFIG` gives `value: null`; any other error rejects.
 */
export async function readKeyspaceEvents(send: (name: string, args: readonly string[]) => Promise<unknown>): Promise<KeyspaceEventsState> {
  let value: string;
  try {
    const reply = await send('CONFIG', ['GET', 'notify-keyspace-events']);
    value = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
  } catch (error) {
    if (isCommandForbidden(error)) return { value: null, missing: [], wanted: null };
    throw error;
  }
  return { value, missing: missingKeyspaceFlags(value), wanted: withRequiredKeyspaceFlags(value) };
}
