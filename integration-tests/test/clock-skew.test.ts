// App hosts' clocks may be seconds off Redis's: deadlines are Redis's own, so no session end
// is lost or brought forward with the app clock 5 s ahead or 5 s behind.
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
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
