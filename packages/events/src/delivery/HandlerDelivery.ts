import { LapseError, type SessionLifecycleEvent } from '@lapse/repository';

/** A session event's name (every event but `'error'`). */
export type SessionEventName = 'created' | 'deleted' | 'expired' | 'destroyed';

/** What delivery needs of the listener: its handlers of an event, called with the listener as `this`. */
export interface HandlerSource {
  listeners(name: SessionEventName | 'error'): ((...args: never[]) => unknown)[];
}

/**
 * Calls the listener's handlers: each on its own, so one that throws (or whose promise
 * rejects) does not keep the event from the others; its error goes to the `'error'` handlers.
 */
export class HandlerDelivery {
  readonly #source: HandlerSource;

  constructor(source: HandlerSource) {
    this.#source = source;
  }

  /** Calls every handler of `name` with `event`; resolves when their promises (if any) have settled. */
  deliver(name: SessionEventName, event: SessionLifecycleEvent): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const handler of this.#source.listeners(name) as unknown as ((event: SessionLifecycleEvent) => unknown)[]) {
      try {
        const result = handler.call(this.#source, event);
        if (result instanceof Promise) pending.push(result.catch((error: unknown) => this.report(error)));
      } catch (error) {
        this.report(error);
      }
    }
    return Promise.all(pending).then(() => undefined);
  }

  /** Hands a problem to every `'error'` handler (a non-`Error` is wrapped in a `LapseError`). */
  report(error: unknown): void {
    const reported = error instanceof Error ? error : new LapseError('ERR_LAPSE_HANDLER', String(error));
    for (const handler of this.#source.listeners('error') as unknown as ((error: Error) => unknown)[]) {
      try {
        handler.call(this.#source, reported);
      } catch {
        // An error handler that throws has nowhere left to report to.
      }
    }
  }
}
