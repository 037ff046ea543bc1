// The key layout, without Redis: every key and channel lapse uses, in Spring Session's layout
// (docs/spring-session.md §1), with the namespace's glob characters escaped in patterns.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/InvalidArgumentError.js';
import { DEFAULT_NAMESPACE, SessionKeys } from '../../src/keys/SessionKeys.js';
import { globLiteral } from '../../src/keys/globLiteral.js';

const PRINCIPAL = 'org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME';

describe('SessionKeys', () => {
  it("builds Spring Session's keys and channels for the default namespace", () => {
    const keys = new SessionKeys();
    expect(keys.namespace).toBe(DEFAULT_NAMESPACE);
    expect(keys.sessionKey('abc')).toBe('spring:session:sessions:abc');
    expect(keys.shadowKey('abc')).toBe('spring:session:sessions:expires:abc');
    expect(keys.bucketKey(1_439_245_080_000)).toBe('spring:session:expirations:1439245080000');
    expect(keys.bucketMember('abc')).toBe('expires:abc');
    expect(keys.principalIndexKey('ada')).toBe(`spring:session:index:${PRINCIPAL}:ada`);
    expect(keys.expirationSortedSetKey).toBe('spring:session:sessions:expirations');
    expect(keys.createdChannel('abc')).toBe('spring:session:event:0:created:abc');
    expect(keys.expiredChannel).toBe('__keyevent@0__:expired');
    expect(keys.deletedChannel).toBe('__keyevent@0__:del');
  });

  it("names lapse's own keys beside Spring's", () => {
    const keys = new SessionKeys('app');
    expect(keys.indexReferenceKey('abc')).toBe('app:sessions:abc:idx');
    expect(keys.bucketRegistryKey).toBe('app:expiration-minutes');
    expect(keys.eventStreamKey).toBe('app:session-events');
  });

  it('trims the namespace and its trailing colons, and puts the database into channel names', () => {
    const keys = new SessionKeys('  app:: ', 3);
    expect(keys.namespace).toBe('app');
    expect(keys.sessionKey('x')).toBe('app:sessions:x');
    expect(keys.expiredChannel).toBe('__keyevent@3__:expired');
    expect(keys.createdChannel('x')).toBe('app:event:3:created:x');
  });

  it('tags every key of a Cluster shard with the shard and keeps channels untagged', () => {
    const keys = new SessionKeys('app', 0, 's7');
    expect(keys.sessionKey('x')).toBe('app:{s7}:sessions:x');
    expect(keys.shadowKey('x')).toBe('app:{s7}:sessions:expires:x');
    expect(keys.principalIndexKey('ada')).toBe(`app:{s7}:index:${PRINCIPAL}:ada`);
    expect(keys.eventStreamKey).toBe('app:{s7}:session-events');
    expect(keys.createdChannel('x')).toBe('app:event:0:created:x');
  });

  it('reads the id back from a created channel, and nothing from another channel', () => {
    const keys = new SessionKeys('app');
    expect(keys.sessionIdOfCreatedChannel('app:event:0:created:abc')).toBe('abc');
    expect(keys.sessionIdOfCreatedChannel('other:event:0:created:abc')).toBeNull();
  });

  it('escapes glob characters of the namespace in its patterns', () => {
    const keys = new SessionKeys('a*b[1]');
    expect(keys.shadowKeyPattern).toBe('a\\*b\\[1\\]:sessions:expires:*');
    expect(keys.createdChannelPattern).toBe('a\\*b\\[1\\]:event:0:created:*');
    expect(globLiteral('plain:ns')).toBe('plain:ns');
    expect(globLiteral('?\\')).toBe('\\?\\\\');
  });

  it.each([[''], ['   '], ['has space'], [':::']])('refuses the namespace %j with InvalidArgumentError', (namespace) => {
    expect(() => new SessionKeys(namespace)).toThrow(InvalidArgumentError);
  });

  it('refuses hash-tag braces in a Cluster namespace and a negative or fractional database', () => {
    expect(() => new SessionKeys('a{b}', 0, 's1')).toThrow(/must not contain \{ or \}/);
    expect(() => new SessionKeys('app', -1)).toThrow(InvalidArgumentError);
    expect(() => new SessionKeys('app', 1.5)).toThrow(InvalidArgumentError);
  });
});
