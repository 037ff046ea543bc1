import { schedule, validate, type ScheduledTask } from 'node-cron';
import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';

/** node-cron logs a skipped overlapping run as a warning; for a sweep that is expected under load. */
const SILENT = { info: (): void => undefined, warn: (): void => undefined, error: (): void => undefined, debug: (): void => undefined };

/**
 * Runs a cleanup sweep on a node-cron schedule, never two at once on one instance
 * (`noOverlap`), in UTC so minute boundaries do not move with DST. Its timer does not keep
 * the process alive (`unref`): an application that has closed everything else exits.
 */
export class CleanupSchedule {
  readonly #task: ScheduledTask;

  /** Throws {@link InvalidArgumentError} for an expression node-cron rejects. */
  constructor(expression: string, sweep: () => Promise<unknown>, onError: (error: Error) => void) {
    if (typeof expression !== 'string' || !validate(expression)) {
      throw new InvalidArgumentError('cleanupCron', `not a valid node-cron expression: ${JSON.stringify(expression)}`);
    }
    this.#task = schedule(
      expression,
      async () => {
        try {
          await sweep();
        } catch (error) {
          onError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      { name: 'lapse-cleanup', noOverlap: true, timezone: 'UTC', suppressMissedWarning: true, logger: SILENT, unref: true },
    );
  }

  /** Stops the schedule for good. */
  async stop(): Promise<void> {
    await this.#task.destroy();
  }
}
