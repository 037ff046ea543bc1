// The demo's progress line (drawn on a terminal while events are due) counts in words that agree.
import { describe, expect, it } from 'vitest';
import { waitingFor } from '../src/demo/waitingFor.js';

describe('the demo\'s progress line', () => {
  it('says "event" for one and "events" for more', () => {
    expect(waitingFor(1)).toBe('waiting for 1 more event…');
    expect(waitingFor(2)).toBe('waiting for 2 more events…');
    expect(waitingFor(14)).toBe('waiting for 14 more events…');
  });
});
