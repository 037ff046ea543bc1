// refresh-session: the keys and ARGV a refresh builds (by the script's names), its Lua header, its replies.
import { describe, expect, it } from 'vitest';
import { refreshSession, refreshSessionScript } from '../../../src/redis/scripts/refresh-session.js';
import { capturing, deltaTail, expectHeaderDeclares, onlyCall } from './captureScripts.js';

const fields = {
  id: 'abc',
  hashKey: 'ns:sessions:abc',
  shadowKey: 'ns:sessions:expires:abc',
  shadowTtlMs: 1_800_000,
  hashTtlMs: 2_100_000,
  delta: { set: ['lastAccessedTime', '1700000000000'], remove: [] },
};

describe('refresh-session', () => {
  it('declares its keys, arguments and the delta tail in its Lua header', () => {
    expectHeaderDeclares(refreshSessionScript, 'refresh-session', ['hash_key', 'shadow_key'], ['shadow_ttl', 'hash_ttl'], 'delta');
  });

  it('sends the hash and shadow keys, both TTLs, then the delta', async () => {
    const { run, calls } = capturing(1);
    expect(await refreshSession(run, fields)).toBe('written');
    const call = onlyCall(calls, refreshSessionScript);
    expect(call.keys).toEqual({ hash_key: 'ns:sessions:abc', shadow_key: 'ns:sessions:expires:abc' });
    expect(call.args).toEqual({ shadow_ttl: 1_800_000, hash_ttl: 2_100_000 });
    expect(call.tail).toEqual(deltaTail(fields.delta.set, []));
    expect(call.tail).toEqual([1, 'lastAccessedTime', '1700000000000', 0]);
    expect(call.sessionId).toBe('abc');
  });

  it('sends an empty delta as two zero counts', async () => {
    const { run, calls } = capturing(1);
    await refreshSession(run, { ...fields, delta: { set: [], remove: [] } });
    expect(onlyCall(calls, refreshSessionScript).tail).toEqual([0, 0]);
  });

  it.each([
    [1, 'written'],
    [2, 'moved'],
    [0, 'gone'],
    [null, 'gone'],
  ] as const)('reads reply %s as %s', async (reply, outcome) => {
    expect(await refreshSession(capturing(reply).run, fields)).toBe(outcome);
  });
});
