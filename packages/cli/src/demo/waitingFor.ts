/** The demo's progress line while events are still due: `waiting for 1 more event…`, `waiting for 3 more events…`. */
export function waitingFor(pending: number): string {
  return `waiting for ${pending} more ${pending === 1 ? 'event' : 'events'}…`;
}
