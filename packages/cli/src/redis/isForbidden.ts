/** Whether `error` says the command is not allowed (ACL, renamed or disabled CONFIG). */
export function isForbidden(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /NOPERM|unknown command|ERR unknown|renamed|not allowed|disabled/i.test(message);
}
