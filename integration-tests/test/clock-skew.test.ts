// App hosts' clocks may be seconds off Redis's: deadlines are Redis's own, so no session end
// is lost or brought forward with the app clock 5 s ahead or 5 s behind.
import { SessionEventListener } from '@lapse/events';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import { afterEach, describe, expect, it } from 'vitest';
import { EventRecorder } from './support/EventRecorder.js';
import { doubled, saveExpiringSessions } from './support/expiring-sessions.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe.each([
  { skew: +5000, label: '5 s ahead' },
  { skew: -5000, label: '5 s behind' },
])('app clock $label of Redis', ({ skew }) => {
  it('every session still expires once, not before its Redis deadline', async () => {
    const client = redis.client();
    const repository = await testRepository(client, {
      namespace: uniqueNamespace('skew'),
      cleanupCron: '* * * * * *',
      clock: () => Date.now() + skew,
    });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    const events = new EventRecorder(listener);
    let firstExpiredAt: number | null = null;
    listener.on('expired', () => {
      firstExpiredAt ??= Date.now();
    });
    await listener.start();
    closers.push(() => listener.close());

    const savedAt = Date.now();
    const ids = await saveExpiringSessions(repository, 200, 3, 2);
    await events.count('expired', 200, 20_000);
    const received = events.of('expired').map((e) => e.sessionId);
    expect(doubled(received)).toBe(0);
    expect(new Set(received)).toEqual(new Set(ids));
    // The shortest timeout is 2 s from its save (by Redis's clock): no session ended before that.
    expect(firstExpiredAt).not.toBeNull();
    expect(firstExpiredAt! - savedAt).toBeGreaterThanOrEqual(2000);
    expect(events.of('expired').every((e) => typeof e.session?.getAttribute('n') === 'number')).toBe(true);
  });
});

// findById reads only the hash while a session's deadline is far; within a minute of it, the
// shadow key decides, so a reader whose clock is off the writer's (or Redis's) by seconds
// neither drops a live session nor returns one that has ended.
describe('findById on a host whose clock is off', () => {
  const twoRepositories = async (skew: number): Promise<[RedisIndexedSessionRepository, RedisIndexedSessionRepository]> => {
    const namespace = uniqueNamespace('skew-find');
    const writer = await testRepository(redis.client(), { namespace, cleanupCron: null });
    const reader = await testRepository(redis.client(), { namespace, cleanupCron: null, clock: () => Date.now() + skew });
    closers.push(() => writer.close(), () => reader.close());
    return [writer, reader];
  };

  it('5 s ahead: a session its clock calls ended is found while Redis holds its shadow key', async () => {
    const [writer, reader] = await twoRepositories(+5000);
    const session = await writer.createSession({ maxInactiveInterval: 3 });
    session.setAttribute('n', 1);
    await writer.save(session);
    // By the reader's clock the 3 s ran out 2 s ago; by Redis's they have just begun.
    expect((await reader.findById(session.id))?.getAttribute('n')).toBe(1);
  });

  it('5 s behind: a session whose shadow key Redis expired is not found, though its clock gives it 5 s more', async () => {
    const [writer, reader] = await twoRepositories(-5000);
    const session = await writer.createSession({ maxInactiveInterval: 1 });
    await writer.save(session);
    const client = redis.client();
    const shadowKey = writer.keys.shadowKey(session.id);
    const deadline = Date.now() + 5000;
    while ((await client.exists(shadowKey)) === 1) {
      expect(Date.now(), 'the shadow key outlived its 1 s timeout by 4 s').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await client.exists(writer.keys.sessionKey(session.id))).toBe(1);
    expect(await reader.findById(session.id)).toBeNull();
  });
});
