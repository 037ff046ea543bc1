// Keyspace notifications, which the listener's fast path needs: what it adds to
// notify-keyspace-events, and how start() verifies them where CONFIG is not allowed.
import { KeyspaceNotificationsError, SessionEventListener } from '@lapse/events';
import { withRequiredKeyspaceFlags } from '@lapse/repository/internal';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { EventRecorder } from './support/EventRecorder.js';
import { useRepository } from './support/fixture.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
const f = useRepository(redis);
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

describe('notify-keyspace-events', () => {
  it('adds only what is missing, as Spring does', () => {
    expect(withRequiredKeyspaceFlags('')).toBe('Egx');
    expect(withRequiredKeyspaceFlags('A')).toBe('AE');
    expect(withRequiredKeyspaceFlags('K')).toBe('KEgx');
    expect(withRequiredKeyspaceFlags('E$')).toBe('E$gx');
    expect(withRequiredKeyspaceFlags('AE')).toBe('AE');
    expect(withRequiredKeyspaceFlags('AEK')).toBe('AEK');
  });

  it('start() turns the flags on in Redis, keeping the existing ones', async () => {
    const admin = redis.client();
    await admin.config('SET', 'notify-keyspace-events', 'K$');
    const listener = new SessionEventListener(f.repository);
    closers.push(() => listener.close());
    await listener.start();
    const [, value] = (await admin.config('GET', 'notify-keyspace-events')) as [string, string];
    expect(value.split('').sort()).toEqual(['$', 'E', 'K', 'g', 'x'].sort());
  });

  it('with configureKeyspaceNotifications false and the flags absent, start() fails clearly', async () => {
    const admin = redis.client();
    await admin.config('SET', 'notify-keyspace-events', '');
    const listener = new SessionEventListener(f.repository, { configureKeyspaceNotifications: false });
    closers.push(() => admin.config('SET', 'notify-keyspace-events', 'Egx'));
    await expect(listener.start()).rejects.toThrow(KeyspaceNotificationsError);
    await expect(listener.start()).rejects.toThrow(/notify-keyspace-events/);
  });

  it('for a user that may not run CONFIG: verifies by probing, and fails clearly when events are off', async () => {
    const admin = redis.client();
    const user = `lapse-${Math.random().toString(36).slice(2, 8)}`;
    await admin.call('ACL', 'SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-config');
    closers.push(() => admin.call('ACL', 'DELUSER', user));
    const limited = new Redis(redis.handle.url, { username: user, password: 'secret', maxRetriesPerRequest: 2 });
    closers.push(async () => limited.disconnect());
    const repository = await testRepository(limited, { namespace: uniqueNamespace('acl'), cleanupCron: null });

    await admin.config('SET', 'notify-keyspace-events', 'Egx');
    const listener = new SessionEventListener(repository, { configureKeyspaceNotifications: false });
    closers.push(() => listener.close());
    const events = new EventRecorder(listener);
    await listener.start();
    const session = await repository.createSession();
    await repository.save(session);
    await repository.deleteById(session.id);
    await events.next('deleted', session.id);

    await expect(new SessionEventListener(repository).start()).rejects.toThrow(/CONFIG is not allowed/);

    await admin.config('SET', 'notify-keyspace-events', '');
    closers.push(() => admin.config('SET', 'notify-keyspace-events', 'Egx'));
    const blind = new SessionEventListener(repository, { configureKeyspaceNotifications: false, probeTimeoutMs: 500 });
    await expect(blind.start()).rejects.toThrow(KeyspaceNotificationsError);
  });
});
