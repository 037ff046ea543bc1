// What each published package exports at runtime (types aside). A name added or removed here is a
// decision about the public API: this list changes with it, in the same commit.
import * as events from '@lapse/events';
import * as store from '@lapse/express-session';
import * as repository from '@lapse/repository';
import { describe, expect, it } from 'vitest';

const EXPECTED: Record<string, readonly string[]> = {
  '@lapse/repository': [
    'ATTRIBUTE_PREFIX', 'BUCKET_RETENTION_MS', 'CREATION_TIME_FIELD', 'ClusterKeysError', 'CorruptSessionDataError',
    'DEFAULT_CLEANUP_CRON', 'DEFAULT_CLUSTER_SHARDS', 'DEFAULT_MAX_INACTIVE_INTERVAL', 'DEFAULT_NAMESPACE', 'EVENT_RECORDED_FIELD',
    'INDEX_REFERENCE_GRACE_MS', 'InvalidArgumentError', 'JsonSessionSerializer', 'LAPSE_PRINCIPAL_ATTRIBUTE',
    'LAST_ACCESSED_TIME_FIELD', 'LapseError', 'MAX_INACTIVE_INTERVAL_FIELD', 'MapSessionRepository', 'PRINCIPAL_NAME_INDEX_NAME',
    'REPOSITORY_OPTION_RULES', 'RedisCommandError', 'RedisIndexedSessionRepository', 'SESSION_DATA_GRACE_MS',
    'SPRING_SECURITY_CONTEXT', 'SPRING_SECURITY_CONTEXT_CLASS', 'Session', 'SessionKeys', 'SessionKeyspace',
    'SessionSerializationError', 'SpringJacksonSessionSerializer', 'WrongDatabaseError', 'WrongKeyTypeError', 'bucketMinuteOf',
    'checkOptions', 'checkRepositoryOptions', 'decodeMetadata', 'defaultPrincipalNameResolver', 'defaultSessionIdGenerator',
    'describeValue', 'encodeMetadata', 'expiresAtOf', 'globLiteral', 'indexMemberForms', 'indexMemberId',
    'isLocalSessionEventSource', 'nearestName', 'optionRule', 'reservedSessionIdReason', 'toRedisConnection',
    // The keyspace notifications a session's end needs (the listener's fast path, lapse doctor/stats/watch).
    'KeyspaceNotificationsError', 'ensureKeyspaceNotifications', 'isCommandForbidden', 'missingKeyspaceFlags',
    'probeKeyspaceEvents', 'probeTargetOf', 'readKeyspaceEvents', 'withRequiredKeyspaceFlags',
  ],
  '@lapse/events': ['KeyspaceNotificationsError', 'SessionEndedError', 'SessionEventListener'],
  '@lapse/express-session': [
    'CONNECT_REDIS_DEFAULT_PREFIX', 'DEFAULT_KEEP_ALIVE_INTERVAL_MS', 'DEFAULT_KEEP_ALIVE_REFRESH_FRACTION', 'DEFAULT_SCAN_COUNT',
    'DEFAULT_TTL_SECONDS', 'DeletionReason', 'LapseStore', 'MAX_SESSION_ID_LENGTH', 'RedisStore', 'SessionKeepAlive',
    'principalAttributeResolver', 'sessionCookie', 'storeSessionIdGenerator', 'unsafeSessionIdReason',
  ],
};

describe('public exports', () => {
  it.each([
    ['@lapse/repository', repository],
    ['@lapse/events', events],
    ['@lapse/express-session', store],
  ] as const)('%s exports exactly the listed names', (name, module) => {
    expect(Object.keys(module).sort()).toEqual([...(EXPECTED[name] ?? [])].sort());
  });
});
