// The same behaviours from MapSessionRepository (in memory) and RedisIndexedSessionRepository,
// so applications can test against either.
import { SessionEventListener } from '@lapse/events';
import {
  MapSessionRepository,
  InvalidArgumentError,
  PRINCIPAL_NAME_INDEX_NAME,
  RedisIndexedSessionRepository,
  SessionSerializationError,
  type SessionRepository,
} from '@lapse/repository';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventRecorder } from './support/EventRecorder.js';
import { expireSoon } from './support/expireSoon.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();

interface Subject {
  readonly repository: SessionRepository;
  /** Makes the session's timeout pass, as seen by this repository. */
  expire(id: string): Promise<void>;
}

const kinds: { name: string; make: () => Promise<Subject> }[] = [
  {
    name: 'RedisIndexedSessionRepository',
    make: async () => {
      const client = redis.client();
      const repository = await testRepository(client, { namespace: uniqueNamespace(), cleanupCron: null });
      return {
        repository,
        expire: async (id) => {
          await expireSoon(client, repository.keys.shadowKey(id));
          while ((await client.exists(repository.keys.shadowKey(id))) === 1) await repository.cleanupExpiredSessions();
        },
      };
    },
  },
  {
    name: 'MapSessionRepository',
    make: async () => {
      let offset = 0;
      const repository = new MapSessionRepository({ cleanupCron: null, clock: () => Date.now() + offset });
      return {
        repository,
        expire: async () => {
          offset += 2 * 3600_000;
          await repository.cleanupExpiredSessions();
        },
      };
    },
  },
];

describe.each(kinds)('$name', ({ make }) => {
  let subject: Subject;
  let listener: SessionEventListener;
  let events: EventRecorder;
  beforeEach(async () => {
    subject = await make();
    listener = new SessionEventListener(subject.repository as RedisIndexedSessionRepository | MapSessionRepository);
    events = new EventRecorder(listener);
    await listener.start();
  });
  afterEach(async () => {
    await listener.close();
    await subject.repository.close();
  });

  it('creates, saves and finds a copy of a session with its attributes', async () => {
    const { repository } = subject;
    const session = await repository.createSession();
    expect(session.maxInactiveInterval).toBe(1800);
    expect(session.isExpired()).toBe(false);
    expect(await repository.findById(session.id)).toBeNull();
    session.setAttribute('profile', { name: 'Ada', langs: ['en'] });
    expect(await repository.save(session)).toBe(true);
    const found = (await repository.findById(session.id))!;
    expect(found).not.toBe(session);
    expect(found.toJSON()).toEqual(session.toJSON());
    const created = await events.next('created', session.id);
    expect(created.session?.getAttribute('profile')).toEqual({ name: 'Ada', langs: ['en'] });
  });

  it('deleteById: findById is null and deleted then destroyed arrive with the data', async () => {
    const { repository } = subject;
    const session = await repository.createSession();
    session.setAttribute('k', 'v');
    await repository.save(session);
    await repository.deleteById(session.id);
    expect(await repository.findById(session.id)).toBeNull();
    expect((await events.next('deleted', session.id)).session?.getAttribute('k')).toBe('v');
    expect((await events.next('destroyed', session.id)).type).toBe('deleted');
  });

  it('expiry: expired then destroyed arrive with the data, and the session is gone', async () => {
    const { repository } = subject;
    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'eve');
    await repository.save(session);
    await subject.expire(session.id);
    const expired = await events.next('expired', session.id);
    expect(expired.session?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBe('eve');
    await events.next('destroyed', session.id);
    expect(await repository.findById(session.id)).toBeNull();
    expect((await repository.findByPrincipalName('eve')).size).toBe(0);
  });

  it('principal lookup and changeSessionId', async () => {
    const { repository } = subject;
    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'fay');
    await repository.save(session);
    const before = session.id;
    session.changeSessionId();
    await repository.save(session);
    expect([...(await repository.findByPrincipalName('fay')).keys()]).toEqual([session.id]);
    expect(await repository.findById(before)).toBeNull();
    expect(await repository.findByIndexNameAndIndexValue('some other index', 'fay')).toEqual(new Map());
  });

  it('refuses unserializable attributes before storing anything', async () => {
    const { repository } = subject;
    const session = await repository.createSession();
    session.setAttribute('fn', () => 1);
    await expect(repository.save(session)).rejects.toBeInstanceOf(SessionSerializationError);
    expect(await repository.findById(session.id)).toBeNull();
  });

  it('createSession({ id }) takes a valid id of the caller and refuses an invalid one', async () => {
    const { repository } = subject;
    const id = 'abcdefghijklmnopqrstuvwxyz012345';
    const session = await repository.createSession({ id, maxInactiveInterval: 60 });
    expect(session.id).toBe(id);
    expect(session.maxInactiveInterval).toBe(60);
    await repository.save(session);
    expect((await repository.findById(id))?.maxInactiveInterval).toBe(60);
    await expect(repository.createSession({ id: 'a:b' })).rejects.toThrow(InvalidArgumentError);

    // A live session's id is taken: a first save of another session with it writes nothing.
    const twin = await repository.createSession({ id });
    twin.setAttribute('twin', true);
    expect(await repository.save(twin)).toBe(false);
    expect((await repository.findById(id))?.getAttribute('twin')).toBeUndefined();
    // Once that session ended (a logout), the id is free again: a new session is stored under it.
    await repository.deleteById(id);
    const late = await repository.createSession({ id });
    late.setAttribute('second life', true);
    expect(await repository.save(late)).toBe(true);
    expect((await repository.findById(id))?.getAttribute('second life')).toBe(true);
  });

  it('scanSessionIds lists every stored session', async () => {
    const { repository } = subject;
    const ids = new Set<string>();
    for (let i = 0; i < 25; i += 1) {
      const session = await repository.createSession();
      await repository.save(session);
      ids.add(session.id);
    }
    const scanned = new Set<string>();
    for await (const id of repository.scanSessionIds()) scanned.add(id);
    expect(scanned).toEqual(ids);
  });

  it('a save after the session was deleted resolves false and stores nothing', async () => {
    const { repository } = subject;
    const session = await repository.createSession();
    await repository.save(session);
    const stale = (await repository.findById(session.id))!;
    await repository.deleteById(session.id);
    stale.setAttribute('x', 1);
    expect(await repository.save(stale)).toBe(false);
    expect(await repository.findById(session.id)).toBeNull();
  });
});
