// The shortening of long quoted values in error lines (no Redis needed).
import { describe, expect, it } from 'vitest';
import { limitQuotedArguments } from '../src/cli/limitQuotedArguments.js';

/** What `lapse watch --no-configure` reports on a Redis whose notify-keyspace-events is empty. */
const WATCH_NO_CONFIGURE =
  'Redis has notify-keyspace-events "", so session expiry and deletion events would never arrive: set it in redis.conf or in ' +
  'your provider\'s console: notify-keyspace-events "Egx" (any value holding E, g and x, or E and A) (see \'lapse doctor\')';

describe('limitQuotedArguments', () => {
  it('leaves the watch --no-configure message whole: the text between "" and "Egx" is no quoted value', () => {
    expect(limitQuotedArguments(WATCH_NO_CONFIGURE, ['watch', '--no-configure', '--redis', 'redis://127.0.0.1:6390'])).toBe(WATCH_NO_CONFIGURE);
  });

  it('never merges two quoted values, whatever lies between them', () => {
    const between = 'x'.repeat(200);
    for (const message of [`got "a" ${between} "b"`, `"" ${between} ""`, `got "a", ${between}, and "b".`, `("a") ${between} ("b")`]) {
      expect(limitQuotedArguments(message, [])).toBe(message);
    }
  });

  it('cuts a long quoted value between short ones, and only it', () => {
    const long = 'y'.repeat(120);
    const message = `"a" then ${JSON.stringify(long)} then "b" ${'z'.repeat(100)} "c"`;
    expect(limitQuotedArguments(message, [])).toBe(`"a" then "${'y'.repeat(80)}…" then "b" ${'z'.repeat(100)} "c"`);
  });

  it('takes a quote inside a word for no quote (a stray one in a raw argument)', () => {
    const message = `unexpected argument 'say"hi' ${'w'.repeat(100)} "b"`;
    expect(limitQuotedArguments(message, [])).toBe(message);
  });

  it('still cuts a long argument of the command line, quoted raw or as JSON', () => {
    const long = `${'0123456789'.repeat(8)}tail`;
    const cut = `${'0123456789'.repeat(8)}…`;
    expect(limitQuotedArguments(`unexpected argument '${long}'`, ['show', 'a', long])).toBe(`unexpected argument '${cut}'`);
    expect(limitQuotedArguments(`got ${JSON.stringify(long)} and "b"`, ['show', long])).toBe(`got "${cut}" and "b"`);
  });
});
