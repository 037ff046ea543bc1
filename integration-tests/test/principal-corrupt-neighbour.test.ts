// "log out everywhere" when one of the user's sessions cannot be read.
import { CorruptSessionDataError, PRINCIPAL_NAME_INDEX_NAME } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { useRepository } from './support/fixture.js';
import { useRedis } from './support/redis.js';
import { awaitSentinel } from './support/sentinel.js';

const redis = useRedis();
const f = useRepository(redis);

/** Three sessions of `user`, the second made unreadable by `corrupt`; their ids, the corrupt one second. */
async function threeSessions(user: string, corrupt: (hashKey: string) => Promise<unknown>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const session = await f.repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
    session.setAttribute('device', `device ${i}`);
    await f.repository.save(session);
    ids.push(session.id);
  }
  await corrupt(f.repository.keys.sessionKey(ids[1] as string));
  return ids;
}

const corruptions: [string, (hashKey: string) => Promise<unknown>][] = [
  ['attribute data that does not decode', (key) => f.client.hset(key, 'sessionAttr:device', '{"unterminated')],
  ['a session key that is not a hash', async (key) => { await f.client.del(key); await f.client.set(key, 'x'); }],
];

describe('a user with one unreadable session among three', () => {
  it.each(corruptions)('%s: findByPrincipalName returns the two readable ones and reports the third in unreadable', async (_, corrupt) => {
    const [a, bad, c] = await threeSessions('ada', corrupt);
    const found = await f.repository.findByPrincipalName('ada');
    expect([...found.keys()].sort()).toEqual([a, c].sort());
    expect(found.get(a as string)?.getAttribute('device')).toBe('device 0');
    expect(found.unreadable).toHaveLength(1);
    expect(found.unreadable[0]).toBeInstanceOf(CorruptSessionDataError);
    expect(found.unreadable[0]).toMatchObject({ sessionId: bad, key: f.repository.keys.sessionKey(bad as string) });
    // The unreadable session is still live and still filed: nothing was changed by the lookup.
    expect(await f.client.exists(f.repository.keys.shadowKey(bad as string))).toBe(1);
    expect((await f.repository.findByIndexNameAndIndexValue(PRINCIPAL_NAME_INDEX_NAME, 'ada')).unreadable).toHaveLength(1);
  });

  it.each(corruptions)('%s: deleteByPrincipalName ends all three, the unreadable one with session null and an error naming it', async (_, corrupt) => {
    const [a, bad, c] = await threeSessions('bob', corrupt);
    expect(await f.repository.deleteByPrincipalName('bob', { reason: 'logout-everywhere' })).toBe(3);
    for (const id of [a, c]) {
      const deleted = await f.events.next('deleted', id as string);
      expect(deleted.session?.getAttribute('device')).toMatch(/^device /);
      expect(deleted.reason).toBe('logout-everywhere');
    }
    const deleted = await f.events.next('deleted', bad as string);
    expect(deleted.session).toBeNull();
    expect(deleted.reason).toBe('logout-everywhere');
    await f.events.until(() => f.events.errors.length > 0, 'the error naming the unreadable session', 5000);
    expect(f.events.errors).toHaveLength(1);
    expect(f.events.errors[0]).toBeInstanceOf(CorruptSessionDataError);
    expect(f.events.errors[0]).toMatchObject({ sessionId: bad });
    for (const id of [a, bad, c]) expect(await f.client.exists(f.repository.keys.shadowKey(id as string))).toBe(0);
    for (const id of [a, c]) expect(await f.repository.findById(id as string)).toBeNull();
    expect(await f.client.smembers(f.repository.keys.principalIndexKey('bob'))).toEqual([]);
    const after = await f.repository.findByPrincipalName('bob');
    expect([after.size, after.unreadable.length]).toEqual([0, 0]);
    await awaitSentinel(f.repository, f.events);
    for (const id of [a, bad, c]) expect(f.events.of('deleted', id as string)).toHaveLength(1);
  });
});
