// Every script that writes checks every key it writes before writing
// anything. One test per key a script writes: a value of the wrong type planted there fails the
// call with a WrongKeyTypeError naming the key and both types, Redis is exactly as it was, and
// once the key is repaired the same call works (and a session end is recorded).
import { PRINCIPAL_NAME_INDEX_NAME, WrongKeyTypeError, type RedisIndexedSessionRepository, type Session } from '@lapse/repository';
import { bucketMinuteOf } from '@lapse/repository/internal';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { TEST_EXPIRATION_INDEX, testRepository } from './support/testRepository.js';

const redis = useRedis();
const buckets = TEST_EXPIRATION_INDEX === 'minute-buckets';
// The app clock 3 hours behind Redis's: the deadlines the saves write are past, so a sweep takes
// the session's bucket (or sorted-set entry) at once; its shadow key lives its full timeout.
const clock = (): number => Date.now() - 3 * 60 * 60 * 1000;

interface Case {
  readonly repository: RedisIndexedSessionRepository;
  readonly client: Redis;
  readonly session: Session;
}

/** An operation: `prepare` runs once (before the key is planted), `run` is the call under test. */
interface Operation {
  readonly prepare: (c: Case) => Promise<unknown>;
  readonly run: (c: Case) => Promise<unknown>;
  /** The session end the call records, if it records one. */
  readonly records: 'deleted' | 'expired' | null;
}

/**
 * The express-session store's write of the case's session (writeSessionHash, in update mode, the
 * session's principal being ada): the fields `set` gives for the session, the timeout
 * `maxInactiveInterval` (`null`: the session's own) and `principal`.
 */
function storeWrite(set: (session: Session) => string[], maxInactiveInterval: number | null, principal: string): Operation {
  return {
    prepare: async () => undefined,
    run: ({ repository, session }) =>
      repository
        .writeSessionHash({
          id: session.id,
          mode: 'update',
          set: set(session),
          remove: [],
          lastAccessedTime: session.lastAccessedTime,
          maxInactiveInterval: maxInactiveInterval ?? session.maxInactiveInterval,
          previousExpiresAt: session.lastAccessedTime + session.maxInactiveInterval * 1000,
          principal,
          previousPrincipal: 'ada',
        })
        .then((outcome) => outcome === 'written'),
    records: null,
  };
}

const operations: Record<string, Operation> = {
  // save-session: the principal changes (ada -> bob) and the deadline moves an hour on.
  'save (save-session)': {
    prepare: async () => undefined,
    run: async ({ repository, session }) => {
      session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'bob');
      session.maxInactiveInterval = 3600;
      return repository.save(session);
    },
    records: null,
  },
  // touch-session: same principal, same bucket, an attribute changes.
  'touch (touch-session)': {
    prepare: async () => undefined,
    run: async ({ repository, session }) => {
      session.setAttribute('seen', (Number(session.getAttribute('seen') ?? 0) + 1));
      return repository.save(session);
    },
    records: null,
  },
  // The express-session store's write (writeSessionHash, through save-session), principal and
  // deadline moved as in the save above.
  'store write (save-session)': storeWrite((session) => ['lastAccessedTime', String(session.lastAccessedTime), 'maxInactiveInterval', '3600'], 3600, 'bob'),
  // The store's touch: refresh-session with minute buckets, touch-session with the sorted set.
  'store touch (refresh-session, touch-session)': storeWrite(() => ['sessionAttr:seen', '1'], null, 'ada'),
  'deleteById (delete-session)': {
    prepare: async () => undefined,
    run: ({ repository, session }) => repository.deleteById(session.id),
    records: 'deleted',
  },
  // record-session-end (sessionEnds.recordEnd): the listener's fast path once the shadow key is gone.
  'sessionEnds.recordEnd (record-session-end)': {
    prepare: ({ client, repository, session }) => client.del(repository.keys.shadowKey(session.id)),
    run: ({ repository, session }) => repository.sessionEnds.recordEnd(session.id, 'expired'),
    records: 'expired',
  },
  'cleanupExpiredSessions (the sweep)': {
    prepare: ({ client, repository, session }) => client.del(repository.keys.shadowKey(session.id)),
    run: ({ repository }) => repository.cleanupExpiredSessions(),
    records: 'expired',
  },
};

/** The keys an operation writes, by name, as functions of the case. */
type KeyOf = (c: Case) => Promise<string> | string;
const hash: KeyOf = ({ repository, session }) => repository.keys.sessionKey(session.id);
const shadow: KeyOf = ({ repository, session }) => repository.keys.shadowKey(session.id);
const idx: KeyOf = ({ repository, session }) => repository.keys.indexReferenceKey(session.id);
const ada: KeyOf = ({ repository }) => repository.keys.principalIndexKey('ada');
const bob: KeyOf = ({ repository }) => repository.keys.principalIndexKey('bob');
const stream: KeyOf = ({ repository }) => repository.keys.eventStreamKey;
const sortedSet: KeyOf = ({ repository }) => repository.keys.expirationSortedSetKey;
const registry: KeyOf = ({ repository }) => repository.keys.bucketRegistryKey;
const bucket: KeyOf = async ({ client, repository }) => {
  const [key] = await client.keys(`${repository.keys.bucketKeyPrefix}*`);
  if (key === undefined) throw new Error('no bucket');
  return key;
};
const newBucket: KeyOf = ({ repository, session }) => repository.keys.bucketKey(bucketMinuteOf(session.lastAccessedTime + 3600 * 1000));

const index: [string, KeyOf][] = buckets ? [['the session\'s bucket', bucket], ['the bucket registry', registry]] : [['the sorted set', sortedSet]];
const ends: [string, KeyOf][] = [['the :idx set', idx], ['the principal index set', ada], ['the event stream', stream]];
const cases: [string, string, KeyOf][] = [
  ...([['the hash', hash], ['the shadow key', shadow], ['the :idx set', idx], ['the old principal index set', ada], ['the new principal index set', bob],
    ...(buckets ? [['the bucket left', bucket], ['the bucket filed', newBucket], ['the bucket registry', registry]] : [['the sorted set', sortedSet]])] as [string, KeyOf][])
    .map(([what, key]): [string, string, KeyOf] => ['save (save-session)', what, key]),
  ...([['the hash', hash], ['the shadow key', shadow], ['the :idx set', idx], ...(buckets ? [] : [['the sorted set', sortedSet]])] as [string, KeyOf][])
    .map(([what, key]): [string, string, KeyOf] => ['touch (touch-session)', what, key]),
  ...([['the hash', hash], ['the shadow key', shadow], ['the old principal index set', ada], ['the new principal index set', bob],
    ...(buckets ? [['the bucket left', bucket], ['the bucket filed', newBucket], ['the bucket registry', registry]] : [['the sorted set', sortedSet]])] as [string, KeyOf][])
    .map(([what, key]): [string, string, KeyOf] => ['store write (save-session)', what, key]),
  ...([['the hash', hash], ['the shadow key', shadow], ...(buckets ? [] : [['the sorted set', sortedSet]])] as [string, KeyOf][])
    .map(([what, key]): [string, string, KeyOf] => ['store touch (refresh-session, touch-session)', what, key]),
  ...[...ends, ...index.slice(0, 1)].map(([what, key]): [string, string, KeyOf] => ['deleteById (delete-session)', what, key]),
  ...[...ends, ...index.slice(0, 1)].map(([what, key]): [string, string, KeyOf] => ['sessionEnds.recordEnd (record-session-end)', what, key]),
  ...[...ends, ...index].map(([what, key]): [string, string, KeyOf] => ['cleanupExpiredSessions (the sweep)', what, key]),
];

/** Every key of the namespace with its type, value and absolute expiry (PEXPIRETIME). */
async function dump(client: Redis, namespace: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await client.keys(`${namespace}:*`)).sort()) {
    const type = await client.type(key);
    const value =
      type === 'string' ? await client.get(key)
      : type === 'hash' ? Object.entries(await client.hgetall(key)).sort()
      : type === 'set' ? (await client.smembers(key)).sort()
      : type === 'zset' ? await client.zrange(key, '0', '-1', 'WITHSCORES')
      : type === 'stream' ? await client.xrange(key, '-', '+')
      : null;
    out[key] = { type, value, expiresAt: await client.call('PEXPIRETIME', key) };
  }
  return out;
}

describe(`a key of the wrong type (${TEST_EXPIRATION_INDEX})`, () => {
  it.each(cases)('%s, %s: fails naming the key, writes nothing, works once the key is repaired', async (operationName, _what, keyOf) => {
    const operation = operations[operationName] as Operation;
    const client = redis.client();
    const namespace = uniqueNamespace('types');
    const repository = await testRepository(client, { namespace, cleanupCron: null, clock });
    try {
      const session = await repository.createSession();
      session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'ada');
      session.setAttribute('user', 'ada');
      await repository.save(session);
      // The stream exists, as it does once any session has ended.
      await client.xadd(repository.keys.eventStreamKey, '*', 'type', 'other');
      const c: Case = { repository, client, session };
      await operation.prepare(c);
      const key = await keyOf(c);
      const saved = await client.dumpBuffer(key);
      const ttl = await client.pttl(key);
      const expected = key === repository.keys.shadowKey(session.id) ? 'string' : await client.type(key);
      const planted = expected === 'string' ? 'set' : 'string';
      await client.del(key);
      if (planted === 'set') await client.sadd(key, 'planted');
      else await client.set(key, 'planted');
      const before = await dump(client, namespace);

      const error = await operation.run(c).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(WrongKeyTypeError);
      expect(error).toMatchObject({ key, actualType: planted, code: 'ERR_LAPSE_WRONG_KEY_TYPE' });
      if (expected !== 'none') expect(error).toMatchObject({ expectedType: expected });
      expect((error as Error).message).toContain(key);
      expect(await dump(client, namespace)).toEqual(before);

      await client.del(key);
      if (saved !== null) await client.restore(key, Math.max(ttl, 0), saved);
      const outcome = await operation.run(c);
      if (operation.records === null) expect(outcome).toBe(true);
      if (operation.records !== null) {
        const records = await client.xrange(repository.keys.eventStreamKey, '-', '+');
        const ended = records.filter(([, fields]) => fields.includes(session.id)).map(([, fields]) => fields[fields.indexOf('type') + 1]);
        expect(ended).toEqual([operation.records]);
      }
    } finally {
      await repository.close();
    }
  });
});
