/** The figures every fault test prints, on one line, for `.ci/run`'s log and the README's claims. */
export interface FaultFigures {
  /** Session-end events the test expects (the sentinel included). */
  readonly expected: number;
  /** Distinct expected sessions whose event arrived. */
  readonly received: number;
  /** Events that arrived more than once for the same session. */
  readonly doubled: number;
  /** Sessions whose deadline (PEXPIRETIME) fell inside the outage; `undefined` where the test has no outage. */
  readonly deadlinesInsideOutage?: number | undefined;
  /** Connections Redis reported killed (CLIENT KILL's replies, output-buffer disconnections); `undefined` where none are. */
  readonly connectionsKilled?: number | undefined;
}

/** Prints `[faults] <client>/<index>[/<serializer>] <test>: events expected …, received …, doubled …, deadlines inside the outage …, connections killed …; <detail>`. */
export function reportFault(test: string, figures: FaultFigures, detail = ''): void {
  const optional = (value: number | undefined): string => (value === undefined ? 'n/a' : String(value));
  // Which cell of the test matrix (client library / expiration index / serializer when not JSON) the figures are from.
  const serializer = process.env.LAPSE_SERIALIZER;
  const cell = `${process.env.LAPSE_CLIENT ?? 'ioredis'}/${process.env.LAPSE_EXPIRATION_INDEX ?? 'minute-buckets'}${serializer && serializer !== 'json' ? `/${serializer}-serializer` : ''}`;
  console.log(
    `[faults] ${cell} ${test}: events expected ${figures.expected}, received ${figures.received}, doubled ${figures.doubled}, ` +
      `deadlines inside the outage ${optional(figures.deadlinesInsideOutage)}, connections killed ${optional(figures.connectionsKilled)}` +
      (detail === '' ? '' : `; ${detail}`),
  );
}
