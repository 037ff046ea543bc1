// Events from real keyspace notifications: docs/spring-session.md §3, §4.2–4.3 and the
// core issue's own scenarios. Every wait is for an event, bounded by a timeout.
import { PRINCIPAL_NAME_INDEX_NAME, type Session } from '@lapse/repository';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/EventRecorder.js';
import { expireSoon } from './support/expireSoon.js';
import { useRepository } from './support/fixture.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { TEST_EXPIRATION_INDEX, filedSessions, testRepository } from './support/testRepository.js';


const redis = useRedis();
const f = useRepository(redis);
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/** A session created and then deleted: once its `deleted` arrives, every earlier message has been handled. */
async function sentinel(): Promise<void> {
  const session = await f.repository.createSession();
  await f.repository.save(session);
  await f.repository.deleteById(session.id);
  await f.events.next('deleted', session.id);
}

describe('expiry', () => {
  it('maxInactiveInterval 1 with a cleanup every second: exactly one expired within 3 s, with its attributes', async () => {
    const repository = await testRepository(f.client, {
      namespace: f.repository.keys.namespace,
      cleanupCron: '* * * * * *',
    });
    closers.push(() => repository.close());
    const session = await repository.createSession();
    session.maxInactiveInterval = 1;
    session.setAttribute('user', 'ada');
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'ada');
    await repository.save(session);

    const expired = await f.events.next('expired', session.id, 3000);
    expect(expired.type).toBe('expired');
    expect(expired.session?.getAttribute('user')).toBe('ada');
    expect(expired.session?.lastAccessedTime).toBe(session.lastAccessedTime);
    const destroyed = await f.events.next('destroyed', session.id, 1000);
    expect(destroyed.type).toBe('expired');
    expect(await repository.findById(session.id)).toBeNull();
    expect(await f.client.smembers(repository.keys.principalIndexKey('ada'))).toEqual([]);

    await repository.cleanupExpiredSessions();
    await sentinel();
    expect(f.events.of('expired', session.id)).toHaveLength(1);
    expect(f.events.of('deleted', session.id)).toHaveLength(0);
  });

  it('1,000 sessions expiring together yield exactly 1,000 expired events, none doubled', async () => {
    const sessions: Session[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const session = await f.repository.createSession();
      session.maxInactiveInterval = 1;
      session.setAttribute('n', i);
      sessions.push(session);
    }
    await Promise.all(sessions.map((s) => f.repository.save(s)));
    await f.events.count('created', 1000);
    // Sweep (as the schedule would) until every shadow key has been expired by Redis.
    await eventually(
      async () => {
        await f.repository.cleanupExpiredSessions();
        return f.events.of('expired').length;
      },
      (n) => n >= 1000,
      '1000 expired events',
      15_000,
    );
    await sentinel();
    const expired = f.events.of('expired');
    expect(expired).toHaveLength(1000);
    expect(new Set(expired.map((e) => e.sessionId)).size).toBe(1000);
    const byId = new Map(sessions.map((s, i) => [s.id, i]));
    for (const event of expired) expect(event.session?.getAttribute('n')).toBe(byId.get(event.sessionId));
    expect(f.events.of('destroyed')).toHaveLength(1001);
    // The expiration index no longer holds any of them (the sentinel was unfiled on delete).
    expect(await filedSessions(f.client, f.repository)).toBe(0);
  });

  /** The records of session ends in the event stream, as [type, id]. */
  async function recordedEnds(): Promise<string[][]> {
    const entries = (await f.client.xrange(f.repository.keys.eventStreamKey, '-', '+')) as [string, string[]][];
    return entries.map(([, fields]) => [fields[1] as string, fields[3] as string]);
  }

  it('the sweep records the end, removes processed buckets and returns how many due keys it touched', async () => {
    // No listener: nothing but the sweep may record this end.
    await f.listener.close();
    const session = await f.repository.createSession();
    session.maxInactiveInterval = 1;
    await f.repository.save(session);
    const touched = await eventually(() => f.repository.cleanupExpiredSessions(), (n) => n > 0, 'a due key', 5000);
    expect(touched).toBe(1);
    expect(await recordedEnds()).toEqual([['expired', session.id]]);
    expect(await filedSessions(f.client, f.repository)).toBe(0);
    expect(await f.repository.cleanupExpiredSessions()).toBe(0);
    expect(await recordedEnds()).toHaveLength(1);
  });

  // About the minute-bucket layout itself: registered only in that run, so the sorted-set run
  // neither skips it nor counts a test that does nothing.
  if (TEST_EXPIRATION_INDEX === 'minute-buckets') {
    it('finds buckets of minutes in which no instance swept (Spring #2906)', async () => {
      await f.listener.close();
      const session = await f.repository.createSession();
      session.lastAccessedTime = Date.now() - 10 * 60_000;
      session.maxInactiveInterval = 60;
      await f.repository.save(session);
      const bucketMinute = Math.floor((session.lastAccessedTime + 60_000) / 60_000) * 60_000 + 60_000;
      expect(await f.client.zrange(f.repository.keys.bucketRegistryKey, '0', '-1')).toEqual([String(bucketMinute)]);
      await expireSoon(f.client, f.repository.keys.shadowKey(session.id));
      await eventually(() => f.repository.cleanupExpiredSessions(), (n) => n === 1, 'sweep of a past minute');
      expect(await recordedEnds()).toEqual([['expired', session.id]]);
    });
  }

  it('a key touched before its deadline (app clock behind Redis) stays filed and expires later', async () => {
    const repository = await testRepository(f.client, {
      namespace: f.repository.keys.namespace,
      cleanupCron: null,
      clock: () => Date.now() - 5 * 60_000,
    });
    const session = await repository.createSession();
    session.maxInactiveInterval = 120;
    await repository.save(session);
    // Its bucket (by the app clock) is in the past, but Redis's deadline is 2 minutes away.
    expect(await repository.cleanupExpiredSessions()).toBe(0);
    expect(await f.client.exists(repository.keys.shadowKey(session.id))).toBe(1);
    if (TEST_EXPIRATION_INDEX === 'sorted-set') {
      expect(Number(await f.client.zscore(repository.keys.expirationSortedSetKey, session.id))).toBeGreaterThan(Date.now() + 60_000);
    } else {
      const filed = await f.client.zrange(repository.keys.bucketRegistryKey, '0', '-1');
      expect(filed).toHaveLength(1);
      expect(await f.client.smembers(repository.keys.bucketKey(Number(filed[0])))).toEqual([`expires:${session.id}`]);
      expect(Number(filed[0])).toBeGreaterThan(Date.now());
    }
  });
});

describe('deletion and creation', () => {
  it('deleteById yields exactly one deleted (then destroyed) with the last data', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('cart', ['book']);
    await f.repository.save(session);
    await f.repository.deleteById(session.id);
    const deleted = await f.events.next('deleted', session.id);
    expect(deleted.session?.getAttribute('cart')).toEqual(['book']);
    await f.events.next('destroyed', session.id);
    await sentinel();
    expect(f.events.of('deleted', session.id)).toHaveLength(1);
    expect(f.events.of('expired', session.id)).toHaveLength(0);
  });

  it('a DEL of the shadow key by anyone is a deleted event', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    await f.client.del(f.repository.keys.shadowKey(session.id));
    const deleted = await f.events.next('deleted', session.id);
    expect(deleted.session?.id).toBe(session.id);
    // Its end recorded, the session is not found, though its hash is kept and its deadline far.
    expect(await f.client.exists(f.repository.keys.sessionKey(session.id))).toBe(1);
    expect(await f.repository.findById(session.id)).toBeNull();
  });

  it('created carries what the first save wrote; later saves announce nothing', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('a', { deep: [1, 'two'] });
    await f.repository.save(session);
    const created = await f.events.next('created', session.id);
    expect(created.session?.toJSON()).toEqual(session.toJSON());
    session.setAttribute('b', 1);
    await f.repository.save(session);
    await sentinel();
    expect(f.events.of('created', session.id)).toHaveLength(1);
  });

  it('an end recorded after the data is gone still arrives (session null) and empties the principal index (Spring #3410)', async () => {
    const session = await f.repository.createSession();
    session.maxInactiveInterval = 1;
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'late');
    await f.repository.save(session);
    await f.client.del(f.repository.keys.sessionKey(session.id));
    await eventually(() => f.repository.cleanupExpiredSessions(), (n) => n === 1, 'the sweep', 5000);
    const expired = await f.events.next('expired', session.id);
    expect(expired.session).toBeNull();
    expect(await f.client.smembers(f.repository.keys.principalIndexKey('late'))).toEqual([]);
  });
});

describe('isolation', () => {
  it('ignores other namespaces, other databases, other keys and hostile key names', async () => {
    const other = await testRepository(f.client, { namespace: uniqueNamespace('other'), cleanupCron: null });
    const otherSession = await other.createSession();
    await other.save(otherSession);
    await other.deleteById(otherSession.id);

    const db1 = redis.client({ db: 1 });
    const inDb1 = await testRepository(db1, { namespace: f.repository.keys.namespace, cleanupCron: null });
    const db1Session = await inDb1.createSession();
    await inDb1.save(db1Session);
    await inDb1.deleteById(db1Session.id);

    const ns = f.repository.keys.namespace;
    await f.client.set(`${ns}:sessions:expires:not a valid id`, '');
    await f.client.del(`${ns}:sessions:expires:not a valid id`);
    await f.client.set(`${ns}:sessions:expires:expires:x`, '');
    await f.client.del(`${ns}:sessions:expires:expires:x`);
    await f.client.publish(`${ns}:event:0:created:../../etc`, '{}');

    await sentinel();
    expect(f.events.events.filter((e) => e.event.sessionId !== f.events.of('deleted')[0]?.sessionId)).toEqual([]);
    expect(f.events.errors).toEqual([]);
  });
});

describe('resilience of delivery', () => {
  it('corrupt session data is reported on error and later events still arrive', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    await f.client.hset(f.repository.keys.sessionKey(session.id), 'creationTime', '{not json');
    await f.repository.deleteById(session.id);
    const deleted = await f.events.next('deleted', session.id);
    expect(deleted.session).toBeNull();
    expect(f.events.errors[0]).toMatchObject({ name: 'CorruptSessionDataError', sessionId: session.id });
    await sentinel();
  });

  it('a throwing handler is reported and does not keep the event from other handlers', async () => {
    const seen: string[] = [];
    f.listener.on('deleted', () => {
      throw new Error('handler bug');
    });
    f.listener.on('deleted', (event) => seen.push(event.sessionId));
    const session = await f.repository.createSession();
    await f.repository.save(session);
    await f.repository.deleteById(session.id);
    await f.events.next('deleted', session.id);
    await f.events.until(() => seen.includes(session.id), 'second handler', 2000);
    expect(f.events.errors.map((e) => e.message)).toContain('handler bug');
  });
});
