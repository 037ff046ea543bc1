/**
 * The exit codes of `lapse`, which scripts can rely on:
 * - `0` ({@link ExitCode.Ok}): done, nothing wrong found;
 * - `1` ({@link ExitCode.Problems}): problems found (stats, doctor), something missing (show, rm),
 *   an event missing (demo), or the command failed (Redis unreachable, refused, …);
 * - `2` ({@link ExitCode.Usage}): the command line itself is wrong (unknown command or option,
 *   missing or malformed argument).
 */
export const ExitCode = {
  Ok: 0,
  Problems: 1,
  Usage: 2,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
