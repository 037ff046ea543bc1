import { useRedis } from '@lapse/redis-harness/vitest';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '../src/index.js';
import { type SessionEnded } from '../src/internal.js';
import { decodeSessionEndRecord, encodeSessionEndRecord } from '../src/session-ends/session-end-record.js';
import { CLIENT_VARIANTS, closeAll } from './clients/clientVariants.js';

const redis = useRedis();
afterAll(closeAll);
let namespaces = 0;

describe.each(CLIENT_VARIANTS)('the repository on $name', (variant) => {
  const open = async (options: { expirationIndex?: 'minute-buckets' | 'sorted-set' } = {}): Promise<RedisIndexedSessionRepository> =>
    new RedisIndexedSessionRepository(await variant.single(redis.handle.url), {
      namespace: `clients${process.pid}x${++namespaces}`,
      cleanupCron: null,
      ...options,
    });

  it.each(['minute-buckets', 'sorted-set'] as const)('saves, touches, finds, renames, indexes, scans and deletes (%s)', async (expirationIndex) => {
    const repository = await open({ expirationIndex });
    expect(repository.connection.library).toBe(variant.library);
    const session = await repository.createSession();
    session.setAttribute('cart', ['book', 'ü']);
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'ada');
    expect(await repository.save(session)).toBe(true);

    const found = await repository.findById(session.id);
    expect(found?.getAttribute('cart')).toEqual(['book', 'ü']);
    found?.setAttribute('n', 1);
    if (found) found.lastAccessedTime = Date.now();
    expect(await repository.save(found!)).toBe(true);
    expect((await repository.findById(session.id))?.getAttribute('n')).toBe(1);

    const before = found!.id;
    found!.changeSessionId();
    expect(await repository.save(found!)).toBe(true);
    expect(await repository.findById(before)).toBeNull();
    expect([...(await repository.findByPrincipalName('ada')).keys()]).toEqual([found!.id]);

    const ids: string[] = [];
    for await (const id of repository.scanSessionIds()) ids.push(id);
    expect(ids).toEqual([found!.id]);

    expect(await repository.deleteByPrincipalName('ada', { reason: 'logout' })).toBe(1);
    expect(await repository.findById(found!.id)).toBeNull();
    expect((await repository.findByPrincipalName('ada')).size).toBe(0);
    const stream = (await repository.connection.send('XRANGE', [repository.keys.eventStreamKey, '-', '+'])) as [string, string[]][];
    expect(stream).toHaveLength(1);
    // Read back as the listener reads it: a consumer group on the stream, the record turned into a Session.
    const ends: SessionEnded[] = [];
    const failures: unknown[] = [];
    const { sessionEnds } = repository;
    const reader = sessionEnds.openReader(sessionEnds.streams[0] as string, null, {
      group: 'test', consumer: 'test', startAt: '0', batchSize: 10, leaseMs: null,
      handle: async (end) => void ends.push(end),
      report: (error) => void failures.push(error),
    });
    await reader.start();
    await vi.waitFor(() => expect(ends).toHaveLength(1));
    await reader.stop();
    expect(failures).toEqual([]);
    const record = ends[0];
    expect(record?.entryId).toBe((stream[0] as [string, string[]])[0]);
    expect(record?.event).toMatchObject({ type: 'deleted', sessionId: found!.id, reason: 'logout' });
    expect(record?.event.session?.getAttribute('n')).toBe(1);
    await repository.close();
  });

  it('sweeps a session whose deadline passed, recording its end once', async () => {
    const repository = await open({ expirationIndex: 'sorted-set' });
    const session = await repository.createSession({ maxInactiveInterval: 600 });
    await repository.save(session);
    // Past the deadline without waiting: the shadow key is gone and its entry due now.
    await repository.connection.send('PEXPIREAT', [repository.keys.shadowKey(session.id), 1]);
    await repository.connection.send('ZADD', [repository.keys.expirationSortedSetKey, 1, session.id]);
    expect(await repository.cleanupExpiredSessions()).toBe(1);
    expect(await repository.cleanupExpiredSessions()).toBe(0);
    const stream = (await repository.connection.send('XRANGE', [repository.keys.eventStreamKey, '-', '+'])) as [string, string[]][];
    expect(stream.map(([, fields]) => decodeSessionEndRecord(fields)?.type)).toEqual(['expired']);
    await repository.close();
  });
});

describe('the session-end record codec', () => {
  it('decodes what it encodes, and what is not a session end as null', () => {
    const record = { type: 'deleted', id: 'abc', reason: 'logout', hash: ['creationTime', '1'], readable: true, indexes: ['ns:index:x'] } as const;
    expect(decodeSessionEndRecord(encodeSessionEndRecord(record))).toEqual(record);
    expect(decodeSessionEndRecord(['type', 'created', 'id', 'abc'])).toBeNull();
    expect(decodeSessionEndRecord(['type', 'expired', 'id', 'abc', 'hash', 'not json', 'readable', '0'])).toEqual({
      type: 'expired', id: 'abc', reason: '', hash: [], readable: false, indexes: [],
    });
  });
});
