import type { SessionKeys } from '@lapse/repository/internal';

/** One command lapse sends, with sample arguments in the namespace, as `ACL DRYRUN` checks it. */
export interface Permission {
  /** The command and arguments (keys and channels of the namespace). */
  readonly argv: readonly string[];
  /** `required`: lapse fails without it; `optional`: one feature needs it. */
  readonly need: 'required' | 'optional';
  /** For optional ones: what it is needed for (`to …`, `by …`). */
  readonly why?: string;
}

const SAMPLE_ID = 'lapse-doctor-sample';
const SAMPLE_SHA = '0'.repeat(40);

/**
 * The commands lapse's repository and listener send, each with keys and channels of the
 * namespace (the README's ACL for a restricted user grants exactly the required ones).
 */
export function requiredPermissions(keys: SessionKeys): Permission[] {
  const hash = keys.sessionKey(SAMPLE_ID);
  const shadow = keys.shadowKey(SAMPLE_ID);
  const idx = keys.indexReferenceKey(SAMPLE_ID);
  const index = keys.principalIndexKey('someone');
  const bucket = keys.bucketKey(60_000);
  const registry = keys.bucketRegistryKey;
  const required = (...argv: string[]): Permission => ({ argv, need: 'required' });
  const optional = (why: string, ...argv: string[]): Permission => ({ argv, need: 'optional', why });
  return [
    required('PING'),
    required('INFO'),
    required('ECHO', 'x'),
    required('CLIENT', 'SETNAME', 'lapse'),
    required('CLIENT', 'INFO'),
    required('TIME'),
    required('EVALSHA', SAMPLE_SHA, '5', hash, shadow, idx, bucket, registry),
    required('EVAL', 'return 1', '3', hash, index, registry),
    required('EXISTS', shadow),
    required('HGETALL', hash),
    required('TYPE', hash),
    required('HMGET', hash, 'f'),
    required('HSET', hash, 'f', 'v'),
    required('HDEL', hash, 'f'),
    required('SET', shadow, ''),
    required('DEL', shadow),
    required('RENAME', shadow, keys.shadowKey(`${SAMPLE_ID}2`)),
    required('PEXPIRE', hash, '1'),
    required('PEXPIREAT', bucket, '1'),
    required('PERSIST', hash),
    required('PTTL', shadow),
    required('SADD', index, SAMPLE_ID),
    required('SMEMBERS', index),
    required('SREM', index, SAMPLE_ID),
    required('ZADD', registry, '1', '1'),
    required('ZREM', registry, '1'),
    required('ZRANGE', keys.expirationSortedSetKey, '0', '0', 'WITHSCORES'),
    required('ZRANGEBYSCORE', registry, '-inf', '+inf'),
    required('ZREMRANGEBYSCORE', registry, '-inf', '0'),
    required('ZREMRANGEBYRANK', keys.expirationSortedSetKey, '0', '-1'),
    required('XADD', keys.eventStreamKey, '*', 'type', 'x'),
    required('XTRIM', keys.eventStreamKey, 'MINID', '0'),
    required('XGROUP', 'CREATE', keys.eventStreamKey, 'lapse-doctor', '$', 'MKSTREAM'),
    required('XGROUP', 'DESTROY', keys.eventStreamKey, 'lapse-doctor'),
    required('XREADGROUP', 'GROUP', 'lapse-doctor', 'c', 'STREAMS', keys.eventStreamKey, '>'),
    required('XACK', keys.eventStreamKey, 'lapse-doctor', '0-1'),
    required('XRANGE', keys.eventStreamKey, '0-1', '0-1'),
    required('XREVRANGE', keys.eventStreamKey, '+', '-', 'COUNT', '1'),
    required('XAUTOCLAIM', keys.eventStreamKey, 'lapse-doctor', 'c', '1000', '0-0'),
    required('PUBLISH', keys.createdChannel(SAMPLE_ID), 'x'),
    required('SUBSCRIBE', keys.expiredChannel, keys.deletedChannel),
    required('PSUBSCRIBE', keys.createdChannelPattern),
    required('UNSUBSCRIBE'),
    required('PUNSUBSCRIBE'),
    optional('to read notify-keyspace-events (else pass configureKeyspaceNotifications: false)', 'CONFIG', 'GET', 'notify-keyspace-events'),
    optional('to turn keyspace notifications on, and on again after a Redis restart (else set them yourself and pass configureKeyspaceNotifications: false)', 'CONFIG', 'SET', 'notify-keyspace-events', 'Egx'),
    optional('by scanSessionIds(), lapse ls and lapse stats', 'SCAN', '0', 'MATCH', keys.shadowKeyPattern),
  ];
}
