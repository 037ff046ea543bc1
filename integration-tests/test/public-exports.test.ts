// What each package entry exports, values and types. A name added or removed here is a decision
// about the API: this list changes with it, in the same commit. The main entries are the public API,
// README.md's API section, and nothing else: every name they export is in README.md. The `internal`
// entries (and the repository's `clients`) are what lapse's own packages share, outside the API.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as events from '@lapse/events';
import * as store from '@lapse/express-session';
import * as storeInternal from '@lapse/express-session/internal';
import * as repository from '@lapse/repository';
import * as repositoryClients from '@lapse/repository/clients';
import * as repositoryInternal from '@lapse/repository/internal';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as cli from '../../packages/cli/src/index.js';

interface Entry {
  /** The entry's source file, from the repository root. */
  readonly source: string;
  /** What importing it gives at runtime. */
  readonly module: object;
  /** Whether it is a main entry (the public API, documented in README.md). */
  readonly main: boolean;
  readonly values: readonly string[];
  readonly types: readonly string[];
}

const ENTRIES: Record<string, Entry> = {
  '@lapse/repository': {
    source: 'packages/repository/src/index.ts',
    module: repository,
    main: true,
    values: [
      'RedisIndexedSessionRepository', 'MapSessionRepository', 'Session',
      'LAPSE_PRINCIPAL_ATTRIBUTE', 'PRINCIPAL_NAME_INDEX_NAME', 'SPRING_SECURITY_CONTEXT',
      'JsonSessionSerializer', 'SpringJacksonSessionSerializer', 'reservedSessionIdReason',
      'LapseError', 'InvalidArgumentError', 'SessionSerializationError', 'CorruptSessionDataError', 'RedisCommandError',
      'WrongKeyTypeError', 'WrongDatabaseError', 'ClusterKeysError', 'KeyspaceNotificationsError',
    ],
    types: [
      'RedisIndexedSessionRepositoryOptions', 'MapSessionRepositoryOptions', 'SessionRepository', 'CreateSessionOptions',
      'DeleteOptions', 'FoundSessions', 'SessionLifecycleEvent', 'SessionEventType', 'SessionData', 'SessionInit',
      'FlushMode', 'SaveMode', 'SessionSerializer', 'SessionIdGenerator', 'PrincipalNameResolver', 'AttributeReader',
      'StoredSessionHash', 'SessionMetadata', 'SessionHashWrite', 'SessionHashWriteOutcome',
      'RedisClient', 'IoredisClient', 'NodeRedisClient', 'NodeRedisCluster', 'RedisKeyType',
    ],
  },
  '@lapse/repository/internal': {
    source: 'packages/repository/src/internal.ts',
    module: repositoryInternal,
    main: false,
    values: [
      'INDEX_REFERENCE_GRACE_MS', 'SESSION_DATA_GRACE_MS', 'DEFAULT_CLEANUP_CRON', 'DEFAULT_MAX_INACTIVE_INTERVAL',
      'isLocalSessionEventSource', 'defaultSessionIdGenerator', 'expiresAtOf',
      'DEFAULT_NAMESPACE', 'SessionKeys', 'globLiteral', 'indexMemberForms', 'indexMemberId',
      'DEFAULT_CLUSTER_SHARDS', 'SessionKeyspace', 'BUCKET_RETENTION_MS', 'bucketMinuteOf',
      'ATTRIBUTE_PREFIX', 'CREATION_TIME_FIELD', 'EVENT_RECORDED_FIELD', 'LAST_ACCESSED_TIME_FIELD',
      'MAX_INACTIVE_INTERVAL_FIELD', 'decodeMetadata', 'encodeMetadata', 'defaultPrincipalNameResolver',
      'SPRING_SECURITY_CONTEXT_CLASS', 'checkOptions', 'describeValue', 'optionRule', 'nearestName',
      'checkRepositoryOptions', 'REPOSITORY_OPTION_RULES', 'toRedisConnection',
      // The keyspace notifications a session's end needs (the listener's fast path, lapse doctor/stats/watch).
      'ensureKeyspaceNotifications', 'isCommandForbidden', 'missingKeyspaceFlags', 'readKeyspaceEvents',
      'withRequiredKeyspaceFlags', 'probeKeyspaceEvents', 'probeTargetOf',
    ],
    types: [
      'ResolvedRepositoryOptions', 'LocalSessionEventSource', 'SweepResult', 'CheckOptionsContext', 'OptionRule',
      'OptionRules', 'RedisConnectionOptions', 'ClientLibrary', 'CommandArgument', 'RedisBlockingConnection',
      'RedisConnection', 'RedisNodeConnection', 'RedisReply', 'RedisSubscriber', 'ScriptSource',
      'SessionEnded', 'SessionEndReaderOptions', 'SessionEnds', 'SessionEndRecord', 'EventStreamReader',
      'EventStreamReaderOptions', 'StreamEntry', 'KeyeventFastPath', 'KeyspaceNotificationsStatus',
      'KeyspaceEventsState', 'ProbeChannels', 'ProbeOutcome', 'ProbeTarget',
    ],
  },
  '@lapse/repository/clients': {
    source: 'packages/repository/src/redis/clients/openRedisClient.ts',
    module: repositoryClients,
    main: false,
    values: ['openRedisClient'],
    types: ['RedisClientLibrary', 'RedisServerAddress', 'NodeRedisFactories', 'OpenRedisClientOptions', 'OpenedRedisClient'],
  },
  '@lapse/events': {
    source: 'packages/events/src/index.ts',
    module: events,
    main: true,
    values: ['SessionEventListener', 'SessionEndedError', 'KeyspaceNotificationsError'],
    types: ['SessionEventListenerOptions', 'DeliveryMode', 'SessionEvent', 'SessionDestroyedEvent', 'SessionEventListenerEvents'],
  },
  '@lapse/express-session': {
    source: 'packages/express-session/src/index.ts',
    module: store,
    main: true,
    values: ['LapseStore', 'RedisStore', 'principalAttributeResolver', 'sessionCookie', 'DeletionReason', 'SessionKeepAlive'],
    types: [
      'LapseStoreOptions', 'StoreClient', 'StoreSerializer', 'StoreRepositoryOptions', 'PrincipalOf', 'TtlOf',
      'MigrateFrom', 'SessionDataWithId', 'AllSessions', 'StoreCallback', 'CookieJson', 'SessionKeepAliveOptions',
    ],
  },
  '@lapse/express-session/internal': {
    source: 'packages/express-session/src/internal.ts',
    module: storeInternal,
    main: false,
    values: [
      'CONNECT_REDIS_DEFAULT_PREFIX', 'DEFAULT_SCAN_COUNT', 'DEFAULT_TTL_SECONDS', 'MAX_SESSION_ID_LENGTH',
      'storeSessionIdGenerator', 'unsafeSessionIdReason', 'DEFAULT_KEEP_ALIVE_INTERVAL_MS', 'DEFAULT_KEEP_ALIVE_REFRESH_FRACTION',
    ],
    types: [],
  },
  '@lapse/cli': {
    source: 'packages/cli/src/index.ts',
    module: cli,
    main: true,
    values: ['runCli', 'ExitCode', 'Output'],
    types: ['CliEnvironment', 'TextStream', 'Style'],
  },
};

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
/** README.md's code: its code blocks and its inline code spans (paired left to right, as Markdown pairs them). */
const README_CODE: readonly string[] = (() => {
  const fences = /^```[^\n]*\n[\s\S]*?^```$/gm;
  const blocks = README.match(fences) ?? [];
  const spans = [...README.replace(fences, '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
  return [...blocks, ...spans];
})();

/** Every name each entry's source exports, values and types alike, as the compiler sees them. */
function exportedNames(): Map<string, string[]> {
  const sources = Object.values(ENTRIES).map((entry) => `${ROOT}${entry.source}`);
  const program = ts.createProgram(sources, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const file = program.getSourceFile(`${ROOT}${entry.source}`);
    const symbol = file && checker.getSymbolAtLocation(file);
    if (!symbol) throw new Error(`${entry.source}: not a module`);
    names.set(name, checker.getExportsOfModule(symbol).map((exported) => exported.name));
  }
  return names;
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();
const inReadmeCode = (name: string): boolean => README_CODE.some((code) => new RegExp(`\\b${name}\\b`).test(code));

describe('package entries', () => {
  it.each(Object.entries(ENTRIES))('%s exports exactly the listed values at runtime', (_name, entry) => {
    expect(sorted(Object.keys(entry.module))).toEqual(sorted(entry.values));
  });

  it('each entry exports exactly the listed values and types', () => {
    const exported = exportedNames();
    for (const [name, entry] of Object.entries(ENTRIES)) {
      expect({ name, exports: sorted(exported.get(name) ?? []) }).toEqual({
        name,
        exports: sorted(new Set([...entry.values, ...entry.types])),
      });
    }
  });

  it('README.md names every name a main entry exports (the public API is README\'s API)', () => {
    const undocumented = Object.entries(ENTRIES)
      .filter(([, entry]) => entry.main)
      .flatMap(([name, entry]) => [...entry.values, ...entry.types].filter((n) => !inReadmeCode(n)).map((n) => `${name}: ${n}`));
    expect(undocumented).toEqual([]);
  });

  it('no name is both in a main entry and in its internal entry', () => {
    for (const main of ['@lapse/repository', '@lapse/express-session']) {
      const inMain = new Set([...ENTRIES[main]!.values, ...ENTRIES[main]!.types]);
      const internal = ENTRIES[`${main}/internal`]!;
      expect([...internal.values, ...internal.types].filter((n) => inMain.has(n))).toEqual([]);
    }
  });
});
