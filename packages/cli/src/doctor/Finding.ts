/** One result of `lapse doctor`. */
export interface Finding {
  /** `ok`: as lapse needs it; `warn`: could not check, or a risk; `fail`: lapse will not work or will lose events. */
  readonly status: 'ok' | 'warn' | 'fail';
  /** What was checked: `server`, `events`, `acl`, `cluster`, `memory`, … */
  readonly area: string;
  /** What was found, one line. */
  readonly message: string;
  /** How to fix it, for `warn` and `fail`. */
  readonly fix?: string;
}

/** A finding, omitting `fix` when there is none (so JSON output has no `"fix": undefined`). */
export function finding(status: Finding['status'], area: string, message: string, fix?: string): Finding {
  return fix === undefined ? { status, area, message } : { status, area, message, fix };
}
