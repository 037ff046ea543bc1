// Which session ids the repository refuses and why, without a Redis: an id whose hash key
// (`<ns>:sessions:<id>`) would be another key of the layout, the error saying so, and the
// same-shard id a cluster's id change takes. Through Redis: store-repository-rules.test.ts.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, PRINCIPAL_NAME_INDEX_NAME, reservedSessionIdReason } from '../../src/index.js';
import { SessionKeyspace } from '../../src/internal.js';
import { invalidId, sameShardId } from '../../src/keys/sessionIdRules.js';

describe('reservedSessionIdReason', () => {
  it.each([
    ['expirations', 'would name the layout\'s key "<namespace>:sessions:expirations"'],
    ['expiration-minutes', 'would name the layout\'s key "<namespace>:expiration-minutes"'],
    ['session-events', 'would name the layout\'s key "<namespace>:session-events"'],
    ['sessions:expirations', 'would name the layout\'s key "<namespace>:sessions:expirations"'],
    ['a:session-events', 'would name the layout\'s key "<namespace>:session-events"'],
    ['abc:idx', 'ends with ":idx", which would name another session\'s key'],
    ['expires:abc', 'would name a key of the layout\'s "<namespace>:sessions:expires:…" family'],
    ['sessions:abc', 'would name a key of the layout\'s "<namespace>:sessions:…" family'],
    ['expirations:60000', 'would name a key of the layout\'s "<namespace>:expirations:…" family'],
    [`x:index:${PRINCIPAL_NAME_INDEX_NAME}:ada`, `would name a key of the layout's "<namespace>:index:${PRINCIPAL_NAME_INDEX_NAME}:…" family`],
  ])('refuses %s: it %s', (id, reason) => {
    expect(reservedSessionIdReason(id)).toBe(reason);
  });

  it.each([
    'abc',
    'b3a1c2d4-0000-4000-8000-000000000000',
    'expiration',
    'expirations-x',
    'idx',
    'a:b',
    'abc:idx2',
    'session-events-1',
    'my:expires',
    'x:index:p:ada',
    '',
  ])('accepts %j', (id) => {
    expect(reservedSessionIdReason(id)).toBeNull();
  });
});

describe('invalidId', () => {
  it("names the id (its first 80 characters, quoted) and the generator's rule", () => {
    const error = invalidId('x'.repeat(100));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.argument).toBe('id');
    expect(error.message).toBe(`id: ${JSON.stringify('x'.repeat(80))} is not a valid session id for this repository's sessionIdGenerator`);
    expect(invalidId(42).message).toBe('id: "42" is not a valid session id for this repository\'s sessionIdGenerator');
  });

  it('says why a reserved id cannot be one', () => {
    expect(invalidId('abc:idx').message).toBe('id: "abc:idx" cannot be a session id: it ends with ":idx", which would name another session\'s key');
  });
});

describe('sameShardId', () => {
  it('draws ids until one falls in the current id\'s shard', () => {
    const keyspace = new SessionKeyspace('ns', 0, 16);
    let drawn = 0;
    const next = sameShardId(keyspace, () => `candidate-${(drawn += 1)}`);
    for (const current of ['a', 'b', 'session-7', 'ü']) {
      const before = drawn;
      const id = next(current);
      expect(keyspace.of(id)).toBe(keyspace.of(current));
      expect(drawn).toBeGreaterThan(before);
    }
  });

  it('takes the first id drawn on a single Redis (one shard)', () => {
    const next = sameShardId(new SessionKeyspace('ns', 0, null), () => 'first');
    expect(next('anything')).toBe('first');
  });
});
