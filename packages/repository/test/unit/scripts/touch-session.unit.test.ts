// touch-session: the keys and ARGV a touch builds (by the script's names), its Lua header, its replies.
import { describe, expect, it } from 'vitest';
import { touchSession, touchSessionScript, type TouchSessionFields } from '../../../src/redis/scripts/touch-session.js';
import { capturing, deltaTail, expectHeaderDeclares, onlyCall } from './captureScripts.js';

const delta = { set: ['lastAccessedTime', '1700000000000', 'sessionAttr:cart', '"book"'], remove: ['sessionAttr:old'] };
const fields: TouchSessionFields = {
  id: 'abc',
  hashKey: 'ns:sessions:abc',
  shadowKey: 'ns:sessions:expires:abc',
  indexReferenceKey: 'ns:sessions:abc:idx',
  shadowTtlMs: 1_800_000,
  hashTtlMs: 2_100_000,
  indexReferenceTtlMs: 2_160_000,
  refile: null,
  delta,
};

describe('touch-session', () => {
  it('declares its keys, arguments and the delta tail in its Lua header', () => {
    expectHeaderDeclares(
      touchSessionScript,
      'touch-session',
      ['hash_key', 'shadow_key', 'idx_key', 'sorted_set_key'],
      ['id', 'shadow_ttl', 'hash_ttl', 'idx_ttl', 'expiry_score'],
      'delta',
    );
    expect(touchSessionScript.name).toBe('lapse:touch-session');
    expect(touchSessionScript.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('with minute buckets and a principal: three keys, the :idx TTL, no expiry score, then the delta', async () => {
    const { run, calls } = capturing(1);
    expect(await touchSession(run, fields)).toBe('written');
    const call = onlyCall(calls, touchSessionScript);
    expect(call.keys).toEqual({ hash_key: 'ns:sessions:abc', shadow_key: 'ns:sessions:expires:abc', idx_key: 'ns:sessions:abc:idx' });
    expect(call.args).toEqual({ id: 'abc', shadow_ttl: 1_800_000, hash_ttl: 2_100_000, idx_ttl: 2_160_000, expiry_score: '' });
    expect(call.tail).toEqual(deltaTail(delta.set, delta.remove));
    expect(call.sessionId).toBe('abc');
  });

  it('with the sorted set: the sorted set as fourth key and the new expiry as its score; no :idx TTL without a principal', async () => {
    const { run, calls } = capturing(1);
    const refile = { sortedSetKey: 'ns:sessions:expirations', expiresAt: 1_700_001_800_000 };
    await touchSession(run, { ...fields, indexReferenceTtlMs: null, refile });
    const call = onlyCall(calls, touchSessionScript);
    expect(call.keys.sorted_set_key).toBe('ns:sessions:expirations');
    expect(call.args.expiry_score).toBe(1_700_001_800_000);
    expect(call.args.idx_ttl).toBe('');
  });

  it.each([
    [1, 'written'],
    [2, 'moved'],
    [0, 'gone'],
  ] as const)('reads reply %s as %s', async (reply, outcome) => {
    expect(await touchSession(capturing(reply).run, fields)).toBe(outcome);
    expect(touchSessionScript.parseReply(reply)).toBe(outcome);
  });
});
