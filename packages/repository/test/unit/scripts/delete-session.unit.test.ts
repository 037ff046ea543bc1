// delete-session: the keys and ARGV a delete builds (by the script's names), its Lua header, its reply.
import { describe, expect, it } from 'vitest';
import { deleteSession, deleteSessionScript, type DeleteSessionFields } from '../../../src/redis/scripts/delete-session.js';
import { capturing, expectHeaderDeclares, onlyCall } from './captureScripts.js';

const fields: DeleteSessionFields = {
  hashKey: 'ns:sessions:abc',
  shadowKey: 'ns:sessions:expires:abc',
  indexReferenceKey: 'ns:sessions:abc:idx',
  eventStreamKey: 'ns:session-events',
  id: 'abc',
  indexReference: 'ns:expirations:',
  indexKind: 'm',
  storedZero: '0',
  graceMs: 300_000,
  reason: 'logout',
  streamMaxLength: 10_000,
  streamMaxAgeMs: 86_400_000,
};

describe('delete-session', () => {
  it('declares its keys and arguments in its Lua header', () => {
    expectHeaderDeclares(
      deleteSessionScript,
      'delete-session',
      ['hash_key', 'shadow_key', 'idx_key', 'stream_key'],
      ['id', 'index_ref', 'zero', 'grace_ms', 'reason', 'stream_max_length', 'index_kind', 'stream_max_age_ms'],
      null,
    );
  });

  it('sends the session\'s keys, the grace period, the reason and the stream limits by name', async () => {
    const { run, calls } = capturing([1, [], []]);
    await deleteSession(run, fields);
    const call = onlyCall(calls, deleteSessionScript);
    expect(call.keys).toEqual({ hash_key: 'ns:sessions:abc', shadow_key: 'ns:sessions:expires:abc', idx_key: 'ns:sessions:abc:idx', stream_key: 'ns:session-events' });
    expect(call.args).toEqual({
      id: 'abc',
      index_ref: 'ns:expirations:',
      zero: '0',
      grace_ms: 300_000,
      reason: 'logout',
      stream_max_length: 10_000,
      index_kind: 'm',
      stream_max_age_ms: 86_400_000,
    });
    expect(call.tail).toEqual([]);
    expect(call.sessionId).toBe('abc');
  });

  it('reads a live session\'s reply: its hash and the index sets it left', async () => {
    const reply = [1, ['creationTime', '1', 'sessionAttr:x', '"y"'], ['ns:index:ada']];
    expect(await deleteSession(capturing(reply).run, fields)).toEqual({
      wasLive: true,
      hash: ['creationTime', '1', 'sessionAttr:x', '"y"'],
      indexKeys: ['ns:index:ada'],
    });
  });

  it('reads a session that was not live: nothing found', async () => {
    expect(await deleteSession(capturing([0, [], []]).run, fields)).toEqual({ wasLive: false, hash: [], indexKeys: [] });
  });
});
