// save-session: the keys and ARGV each kind of save builds (by the script's names), its Lua header, its replies.
import { describe, expect, it } from 'vitest';
import { BUCKET_RETENTION_MS } from '../../../src/expiration/minute-buckets/minute-bucket.js';
import { saveSession, saveSessionScript, type SaveSessionFields } from '../../../src/redis/scripts/save-session.js';
import { capturing, deltaTail, expectHeaderDeclares, onlyCall } from './captureScripts.js';

const triple = (id: string) => ({ hashKey: `ns:sessions:${id}`, shadowKey: `ns:sessions:expires:${id}`, indexReferenceKey: `ns:sessions:${id}:idx` });
const delta = { set: ['lastAccessedTime', '1700000000000', 'maxInactiveInterval', '1800'], remove: ['sessionAttr:gone'] };
/** A delta save with minute buckets: not new, same id, no principal, no reclaim. */
const deltaSave: SaveSessionFields = {
  isNew: false,
  id: 'abc',
  storedId: 'abc',
  current: triple('abc'),
  stored: triple('abc'),
  filing: { key: 'ns:expirations', prefix: 'ns:expirations:', score: null },
  indexKind: 'm',
  shadowTtlMs: 1_800_000,
  hashTtlMs: 2_100_000,
  indexReferenceTtlMs: 2_160_000,
  storedPrincipalIndexKey: null,
  principalIndexKey: null,
  principalChanged: false,
  created: null,
  registryTrimBefore: 1_699_990_000_000,
  delta,
  setMembersAsJson: false,
  reclaim: null,
};

describe('save-session', () => {
  it('declares its keys, arguments (flags and numbers as Lua reads them) and the delta tail in its Lua header', () => {
    expectHeaderDeclares(
      saveSessionScript,
      'save-session',
      ['hash_key', 'shadow_key', 'idx_key', 'stored_hash_key', 'stored_shadow_key', 'stored_idx_key', 'index_key', 'stored_principal_key', 'principal_key', 'stream_key'],
      [
        'is_new:flag', 'renamed:flag', 'id', 'stored_id', 'shadow_ttl:number', 'hash_ttl:number', 'score', 'prefix', 'retention_ms:number',
        'had_principal:flag', 'has_principal:flag', 'principal_changed:flag', 'idx_ttl:number', 'created_channel', 'created_payload',
        'registry_trim_before', 'index_kind', 'reclaim:flag', 'index_ref', 'stream_max_length', 'quote', 'stream_max_age_ms',
      ],
      'delta',
    );
  });

  it('a delta save: keys that do not apply are the hash key again; the TTLs, bucket prefix and retention by name; then the delta', async () => {
    const { run, calls } = capturing(1);
    expect(await saveSession(run, deltaSave)).toBe('written');
    const call = onlyCall(calls, saveSessionScript);
    expect(call.keys).toEqual({
      hash_key: 'ns:sessions:abc',
      shadow_key: 'ns:sessions:expires:abc',
      idx_key: 'ns:sessions:abc:idx',
      stored_hash_key: 'ns:sessions:abc',
      stored_shadow_key: 'ns:sessions:expires:abc',
      stored_idx_key: 'ns:sessions:abc:idx',
      index_key: 'ns:expirations',
      stored_principal_key: 'ns:sessions:abc',
      principal_key: 'ns:sessions:abc',
      stream_key: 'ns:sessions:abc',
    });
    expect(call.args).toEqual({
      is_new: '0',
      renamed: '0',
      id: 'abc',
      stored_id: 'abc',
      shadow_ttl: 1_800_000,
      hash_ttl: 2_100_000,
      score: '',
      prefix: 'ns:expirations:',
      retention_ms: BUCKET_RETENTION_MS,
      had_principal: '0',
      has_principal: '0',
      principal_changed: '0',
      idx_ttl: 2_160_000,
      created_channel: '',
      created_payload: '',
      registry_trim_before: 1_699_990_000_000,
      index_kind: 'm',
      reclaim: '0',
      index_ref: '',
      stream_max_length: 0,
      quote: '',
      stream_max_age_ms: 0,
    });
    expect(call.tail).toEqual(deltaTail(delta.set, delta.remove));
    expect(call.sessionId).toBe('abc');
  });

  it('a new session with a principal on the sorted set, JSON members, a created message and reclaim', async () => {
    const { run, calls } = capturing(1);
    await saveSession(run, {
      ...deltaSave,
      isNew: true,
      filing: { key: 'ns:sessions:expirations', prefix: 'ns:sessions:expirations', score: 1_700_001_800_000 },
      indexKind: 'z',
      principalIndexKey: 'ns:index:ada',
      created: { channel: 'ns:event:0:created:abc', message: '{"id":"abc"}' },
      setMembersAsJson: true,
      reclaim: { eventStreamKey: 'ns:session-events', indexReference: 'ns:sessions:expirations', streamMaxLength: 10_000, streamMaxAgeMs: 86_400_000 },
    });
    const call = onlyCall(calls, saveSessionScript);
    expect(call.keys.principal_key).toBe('ns:index:ada');
    expect(call.keys.stored_principal_key).toBe('ns:sessions:abc');
    expect(call.keys.stream_key).toBe('ns:session-events');
    expect(call.keys.index_key).toBe('ns:sessions:expirations');
    expect(call.args).toMatchObject({
      is_new: '1',
      renamed: '0',
      score: 1_700_001_800_000,
      had_principal: '0',
      has_principal: '1',
      created_channel: 'ns:event:0:created:abc',
      created_payload: '{"id":"abc"}',
      index_kind: 'z',
      reclaim: '1',
      index_ref: 'ns:sessions:expirations',
      stream_max_length: 10_000,
      quote: '"',
      stream_max_age_ms: 86_400_000,
    });
  });

  it('an id change: renamed, the stored keys are the old id\'s, the principal left and joined', async () => {
    const { run, calls } = capturing(1);
    await saveSession(run, {
      ...deltaSave,
      id: 'new',
      current: triple('new'),
      storedPrincipalIndexKey: 'ns:index:ada',
      principalIndexKey: 'ns:index:bob',
      principalChanged: true,
    });
    const call = onlyCall(calls, saveSessionScript);
    expect(call.keys).toMatchObject({ hash_key: 'ns:sessions:new', stored_hash_key: 'ns:sessions:abc', stored_shadow_key: 'ns:sessions:expires:abc', stored_idx_key: 'ns:sessions:abc:idx' });
    expect(call.keys.stored_principal_key).toBe('ns:index:ada');
    expect(call.keys.principal_key).toBe('ns:index:bob');
    expect(call.args).toMatchObject({ renamed: '1', id: 'new', stored_id: 'abc', had_principal: '1', has_principal: '1', principal_changed: '1' });
    expect(call.sessionId).toBe('new');
  });

  it.each([
    [1, 'written'],
    [2, 'live'],
    [0, 'gone'],
  ] as const)('reads reply %s as %s', async (reply, outcome) => {
    expect(await saveSession(capturing(reply).run, deltaSave)).toBe(outcome);
  });
});
