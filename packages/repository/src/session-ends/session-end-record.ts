/**
 * The session-end record of the event stream (`<ns>:session-events`), as the Lua
 * `record_end` writes it (see `lua-end-helpers`): fields `type`, `id`, `reason`, `hash` (the
 * session's last hash as a JSON array of field/value pairs), `readable` (`'0'` when the session
 * key was not a hash) and `indexes` (a JSON array of the index sets it was removed from). The
 * one codec of it: {@link decodeSessionEndRecord} for readers, {@link encodeSessionEndRecord}
 * (what the Lua writes) for tests and tools.
 */
export interface SessionEndRecordFields {
  readonly type: 'deleted' | 'expired';
  readonly id: string;
  /** The deletion reason, `''` when none. */
  readonly reason: string;
  /** The session's last hash, flat field/value pairs (empty when it was gone). */
  readonly hash: readonly string[];
  /** Whether the session key was a hash (false: corrupt). */
  readonly readable: boolean;
  /** The index sets the session was removed from. */
  readonly indexes: readonly string[];
}

/** A record's flat field/value list as a {@link SessionEndRecordFields}; `null` when it is not a session end. */
export function decodeSessionEndRecord(fields: readonly string[]): SessionEndRecordFields | null {
  const record = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) record.set(fields[i] as string, fields[i + 1] as string);
  const type = record.get('type');
  const id = record.get('id');
  if ((type !== 'deleted' && type !== 'expired') || id === undefined || id === '') return null;
  return {
    type,
    id,
    reason: record.get('reason') ?? '',
    hash: stringArray(record.get('hash')),
    readable: record.get('readable') !== '0',
    indexes: stringArray(record.get('indexes')),
  };
}

/** The flat field/value list the Lua writer stores for `record` (XADD's arguments after the id). */
export function encodeSessionEndRecord(record: SessionEndRecordFields): string[] {
  return [
    'type', record.type,
    'id', record.id,
    'reason', record.reason,
    'hash', record.hash.length === 0 ? '[]' : JSON.stringify(record.hash),
    'readable', record.readable ? '1' : '0',
    'indexes', record.indexes.length === 0 ? '[]' : JSON.stringify(record.indexes),
  ];
}

/** A JSON array of strings; an unreadable copy is treated as no data. */
function stringArray(text: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}
