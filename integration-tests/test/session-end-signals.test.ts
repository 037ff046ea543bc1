// "Log out everywhere", deletion reasons, and per-session end signals (listener.watch).
import { SessionEndedError, SessionEventListener } from '@lapse/events';
import {
  InvalidArgumentError,
  MapSessionRepository,
  PRINCIPAL_NAME_INDEX_NAME,
  RedisIndexedSessionRepository,
  type SessionRepository,
} from '@lapse/repository';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';
import { useListeningRepository } from './support/fixture.js';

const redis = useRedis();

const kinds = [
  { name: 'RedisIndexedSessionRepository', make: (): Promise<RedisIndexedSessionRepository> => testRepository(redis.client(), { namespace: uniqueNamespace(), cleanupCron: null }) },
  { name: 'MapSessionRepository', make: async (): Promise<MapSessionRepository> => new MapSessionRepository({ cleanupCron: null }) },
];

describe.each(kinds)('$name', ({ make }) => {
  const f = useListeningRepository<RedisIndexedSessionRepository | MapSessionRepository>(make);

  async function loggedIn(user: string): Promise<string> {
    const session = await (f.repository as SessionRepository).createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
    await f.repository.save(session);
    return session.id;
  }

  it('deleteByPrincipalName ends every session of the user, each with a deleted event and the reason', async () => {
    const mine = [await loggedIn('zoe'), await loggedIn('zoe'), await loggedIn('zoe')];
    const other = await loggedIn('yann');
    expect(await f.repository.deleteByPrincipalName('zoe', { reason: 'logout-everywhere' })).toBe(3);
    for (const id of mine) {
      const deleted = await f.events.next('deleted', id);
      expect(deleted.reason).toBe('logout-everywhere');
      expect(deleted.session?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBe('zoe');
      expect(await f.repository.findById(id)).toBeNull();
    }
    expect((await f.repository.findByPrincipalName('zoe')).size).toBe(0);
    expect(await f.repository.findById(other)).not.toBeNull();
    expect(await f.repository.deleteByPrincipalName('zoe')).toBe(0);
  });

  it('a deletion without a reason has none; a bad reason is refused', async () => {
    const id = await loggedIn('xavier');
    await expect(f.repository.deleteById(id, { reason: '' })).rejects.toThrow(InvalidArgumentError);
    await f.repository.deleteById(id);
    expect((await f.events.next('deleted', id)).reason).toBeUndefined();
  });

  it('watch(): the signal aborts when the session is deleted, with how and why', async () => {
    const id = await loggedIn('wanda');
    const signal = f.listener.watch(id);
    const other = f.listener.watch(await loggedIn('wanda2'));
    expect(signal.aborted).toBe(false);
    const aborted = once(signal, 'abort');
    await f.repository.deleteById(id, { reason: 'regenerate' });
    await aborted;
    expect(signal.reason).toBeInstanceOf(SessionEndedError);
    expect(signal.reason).toMatchObject({ sessionId: id, how: 'deleted', deletionReason: 'regenerate' });
    expect(other.aborted).toBe(false);
  });

  it('a watch given a signal is dropped when that signal aborts, and never fires', async () => {
    const id = await loggedIn('vera');
    const socketClosed = new AbortController();
    const dropped = f.listener.watch(id, { signal: socketClosed.signal });
    const kept = f.listener.watch(id);
    socketClosed.abort();
    const keptAborted = once(kept, 'abort');
    await f.repository.deleteById(id);
    await keptAborted;
    expect(dropped.aborted).toBe(false);
  });

  it('watch() of a session that does not exist aborts with how "missing"', async () => {
    const signal = f.listener.watch('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await once(signal, 'abort');
    expect(signal.reason).toMatchObject({ how: 'missing' });
  });
});

describe('watch() and expiry', () => {
  it('aborts with how "expired" when the session times out', async () => {
    const client = redis.client();
    const repository = await testRepository(client, { namespace: uniqueNamespace(), cleanupCron: '* * * * * *' });
    const listener = new SessionEventListener(repository);
    await listener.start();
    try {
      const session = await repository.createSession();
      session.maxInactiveInterval = 1;
      await repository.save(session);
      const signal = listener.watch(session.id);
      await once(signal, 'abort');
      expect(signal.reason).toMatchObject({ sessionId: session.id, how: 'expired' });
    } finally {
      await listener.close();
      await repository.close();
    }
  });
});
