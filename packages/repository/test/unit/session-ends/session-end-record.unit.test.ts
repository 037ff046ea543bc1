// The session-end record of the event stream: decoding a record's fields, and records that are not session ends.
import { describe, expect, it } from 'vitest';
import { decodeSessionEndRecord, encodeSessionEndRecord, type SessionEndRecordFields } from '../../../src/session-ends/session-end-record.js';

/** A record as the Lua `record_end` writes it (XADD's field/value list). */
const written = ['type', 'deleted', 'id', 'abc', 'reason', 'logout', 'hash', '["creationTime","1","sessionAttr:x","\\"y\\""]', 'readable', '1', 'indexes', '["ns:index:ada"]'];

describe('the session-end record codec', () => {
  it("decodes each field of a record as the Lua writes it", () => {
    expect(decodeSessionEndRecord(written)).toEqual({
      type: 'deleted',
      id: 'abc',
      reason: 'logout',
      hash: ['creationTime', '1', 'sessionAttr:x', '"y"'],
      readable: true,
      indexes: ['ns:index:ada'],
    });
  });

  it('encodes what the Lua writes, field for field, and decodes what it encodes', () => {
    const record: SessionEndRecordFields = { type: 'deleted', id: 'abc', reason: 'logout', hash: ['creationTime', '1', 'sessionAttr:x', '"y"'], readable: true, indexes: ['ns:index:ada'] };
    expect(encodeSessionEndRecord(record)).toEqual(written);
    const expired: SessionEndRecordFields = { type: 'expired', id: 'x', reason: '', hash: [], readable: false, indexes: [] };
    expect(encodeSessionEndRecord(expired)).toEqual(['type', 'expired', 'id', 'x', 'reason', '', 'hash', '[]', 'readable', '0', 'indexes', '[]']);
    expect(decodeSessionEndRecord(encodeSessionEndRecord(expired))).toEqual(expired);
  });

  it('reads the fields in any order, and a missing reason, hash, readable or indexes as none, readable, none', () => {
    expect(decodeSessionEndRecord(['id', 'abc', 'type', 'expired'])).toEqual({ type: 'expired', id: 'abc', reason: '', hash: [], readable: true, indexes: [] });
  });

  it.each([
    ['another type', ['type', 'created', 'id', 'abc']],
    ['no type', ['id', 'abc', 'reason', '']],
    ['no id', ['type', 'deleted']],
    ['an empty id', ['type', 'deleted', 'id', '']],
    ['no fields', []],
  ])('is null for a record with %s', (_, fields) => {
    expect(decodeSessionEndRecord(fields)).toBeNull();
  });

  it('reads an unreadable or non-array hash or indexes copy as no data, and non-string members as text', () => {
    expect(decodeSessionEndRecord(['type', 'expired', 'id', 'abc', 'hash', 'not json', 'readable', '0', 'indexes', '{"a":1}'])).toEqual({
      type: 'expired',
      id: 'abc',
      reason: '',
      hash: [],
      readable: false,
      indexes: [],
    });
    expect(decodeSessionEndRecord(['type', 'expired', 'id', 'abc', 'hash', '["maxInactiveInterval",1800]'])?.hash).toEqual(['maxInactiveInterval', '1800']);
  });

  it('ignores a trailing field without a value', () => {
    expect(decodeSessionEndRecord(['type', 'deleted', 'id', 'abc', 'reason'])?.reason).toBe('');
  });
});
