// Both clients' decoded replies in one RESP2 shape, without Redis.
import { describe, expect, it } from 'vitest';
import { databaseOfClientInfo, normalizeReply } from '../../src/redis/clients/normalizeReply.js';

describe('normalizeReply', () => {
  it('keeps strings, numbers and nil as they are, and an array that needs no change without copying it', () => {
    const array = ['a', 1, null];
    expect(normalizeReply('x')).toBe('x');
    expect(normalizeReply(7)).toBe(7);
    expect(normalizeReply(null)).toBeNull();
    expect(normalizeReply(undefined)).toBeNull();
    expect(normalizeReply(array)).toBe(array);
  });

  it("turns Buffers into UTF-8 text, bigints into decimal text, and RESP3 booleans into Lua's RESP2 values", () => {
    expect(normalizeReply(Buffer.from('héllo'))).toBe('héllo');
    expect(normalizeReply(12345678901234567890n)).toBe('12345678901234567890');
    expect(normalizeReply(true)).toBe(1);
    expect(normalizeReply(false)).toBeNull();
  });

  it('flattens maps (a Map or a plain object, as HGETALL may be decoded) into [field, value, …]', () => {
    expect(normalizeReply(new Map<unknown, unknown>([['f', Buffer.from('v')], ['n', 1]]))).toEqual(['f', 'v', 'n', 1]);
    expect(normalizeReply({ creationTime: '1', lastAccessedTime: '2' })).toEqual(['creationTime', '1', 'lastAccessedTime', '2']);
  });

  it('copies an array only from the first item that changes, recursively', () => {
    const reply = ['a', [Buffer.from('b'), 2], new Set(['c'])];
    expect(normalizeReply(reply)).toEqual(['a', ['b', 2], ['c']]);
    expect(reply[0]).toBe('a');
  });

  it('throws an error reply', () => {
    expect(() => normalizeReply(new Error('ERR wrong'))).toThrow('ERR wrong');
  });
});

describe('databaseOfClientInfo', () => {
  it('reads db= from a CLIENT INFO line, and refuses a reply without one', () => {
    expect(databaseOfClientInfo('id=7 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 db=3 sub=0')).toBe(3);
    expect(databaseOfClientInfo('db=0 id=1')).toBe(0);
    expect(() => databaseOfClientInfo('id=7 addr=x')).toThrow(/no db= field/);
    expect(() => databaseOfClientInfo(null)).toThrow(/no db= field/);
  });
});
