import type { RedisReply } from './RedisConnection.js';

/**
 * A client's decoded reply in the RESP2 shape of {@link RedisReply}: Buffers as UTF-8 text,
 * maps (a `Map` or a plain object, as a client may decode `HGETALL` or a RESP3 map) as flat
 * `[field, value, …]` arrays, RESP3 booleans as Lua's RESP2 conversion gives them (`true` → 1,
 * `false` → nil), big numbers and doubles as decimal text only where the client made them
 * bigints. An array that needs no change is returned as it is (no copy on the hot path).
 */
export function normalizeReply(reply: unknown): RedisReply {
  switch (typeof reply) {
    case 'string':
    case 'number':
      return reply;
    case 'boolean':
      return reply ? 1 : null;
    case 'bigint':
      return reply.toString();
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return String(reply);
  }
  if (reply === null) return null;
  if (Array.isArray(reply)) return normalizeArray(reply);
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (reply instanceof Map) {
    const flat: RedisReply[] = [];
    for (const [field, value] of reply) flat.push(normalizeReply(field), normalizeReply(value));
    return flat;
  }
  if (reply instanceof Set) return [...reply].map(normalizeReply);
  if (reply instanceof Error) throw reply;
  const flat: RedisReply[] = [];
  for (const field of Object.keys(reply)) flat.push(field, normalizeReply((reply as Record<string, unknown>)[field]));
  return flat;
}

function normalizeArray(reply: unknown[]): RedisReply[] {
  for (let i = 0; i < reply.length; i++) {
    const item = reply[i];
    if (typeof item === 'string' || typeof item === 'number' || item === null) continue;
    // Something to change: copy from here on.
    const copy = reply.slice(0, i) as RedisReply[];
    for (let j = i; j < reply.length; j++) copy.push(normalizeReply(reply[j]));
    return copy;
  }
  return reply as RedisReply[];
}

/** The `db=` field of a `CLIENT INFO` reply (`id=7 addr=… db=3 …`). */
export function databaseOfClientInfo(reply: RedisReply): number {
  const match = typeof reply === 'string' ? /(?:^|\s)db=(\d+)/.exec(reply) : null;
  if (match === null) throw new Error(`CLIENT INFO: no db= field in ${JSON.stringify(reply)}`);
  return Number(match[1]);
}
