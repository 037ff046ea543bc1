// The listener's option resolution, without a Redis: defaults, given values kept, a client option
// turned into its seam connection, and what a bad one is refused with (the refusals through the
// constructor: listener-options.test.ts).
import { InvalidArgumentError } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import type { SessionEventListenerOptions } from '../../src/index.js';
import { LISTENER_OPTION_RULES, resolveOptions } from '../../src/listener/resolveOptions.js';

describe('the listener\'s resolveOptions', () => {
  it('fills in every default, for no options and for {}', () => {
    for (const options of [undefined, {}]) {
      expect(resolveOptions(options as unknown as SessionEventListenerOptions)).toEqual({
        configureKeyspaceNotifications: true,
        delivery: 'broadcast',
        name: undefined,
        group: 'lapse',
        leaseMs: 30_000,
        probeTimeoutMs: 2000,
        subscriber: null,
        reader: null,
      });
    }
  });

  it('keeps every value given', () => {
    expect(resolveOptions({ configureKeyspaceNotifications: false, delivery: 'once', name: 'web-1.a:b_c', group: 'g-2', leaseMs: 1, probeTimeoutMs: 5 })).toMatchObject({
      configureKeyspaceNotifications: false,
      delivery: 'once',
      name: 'web-1.a:b_c',
      group: 'g-2',
      leaseMs: 1,
      probeTimeoutMs: 5,
    });
  });

  it('takes stream names of 1 to 100 letters, digits and . _ : - only', () => {
    expect(resolveOptions({ name: 'x'.repeat(100) }).name).toBe('x'.repeat(100));
    for (const name of ['', 'x'.repeat(101), 'a b', 'a*', 'ä']) {
      expect(() => resolveOptions({ name })).toThrow(InvalidArgumentError);
      expect(() => resolveOptions({ group: name })).toThrow(InvalidArgumentError);
    }
  });

  it('refuses a client option lapse cannot use, naming that option (not "client")', () => {
    for (const option of ['subscriber', 'reader'] as const) {
      let thrown: unknown;
      try {
        resolveOptions({ [option]: { not: 'a client' } } as unknown as SessionEventListenerOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).argument).toBe(option);
      expect((thrown as InvalidArgumentError).message).toMatch(new RegExp(`^${option}: `));
      expect((thrown as InvalidArgumentError).message).not.toMatch(/client: /);
    }
  });

  it('has a rule for each option the listener documents', () => {
    expect(Object.keys(LISTENER_OPTION_RULES).sort()).toEqual(['configureKeyspaceNotifications', 'delivery', 'group', 'leaseMs', 'name', 'probeTimeoutMs', 'reader', 'subscriber']);
  });
});
