// An id used again after a logout (a fixed id, a custom genid, destroy-then-set): each life of
// the id ends once, with its own event, even when the new session is written within the same
// millisecond as the one it replaces. A listener tells one end from another by the session id
// and its creation time, so the store's write dates such a session a millisecond later.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { EventRecorder } from '@lapse/redis-harness/vitest';
import type { SessionData } from 'express-session';
import { afterEach, expect, it } from 'vitest';
import { LapseStore } from '../src/index.js';
import { serializerOptions, TEST_SERIALIZER_KIND, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

it('a destroyed id set again within the same millisecond is a new life: both ends are delivered, the second dated a millisecond later', async () => {
  // A clock that does not move: every write is "within the same millisecond".
  const now = Date.now();
  const repository = new RedisIndexedSessionRepository(redis.client(), { ...serializerOptions(), namespace: uniqueNamespace('reuse'), cleanupCron: null, clock: () => now });
  const listener = new SessionEventListener(repository);
  const events = new EventRecorder<SessionEvent>(listener);
  await listener.start();
  closers.push(() => repository.close(), () => listener.close());
  const store = new LapseStore({ repository });
  const data = (fields: Record<string, unknown>): SessionData =>
    ({ cookie: { originalMaxAge: 60_000, expires: new Date(now + 60_000).toISOString(), httpOnly: true, path: '/' }, ...fields }) as unknown as SessionData;
  const sid = 'reused-id-0000000000000000000000';

  await store.set(sid, data({ user: 'ada' }));
  await store.destroy(sid);
  await events.next('deleted', sid);
  await store.set(sid, data({ user: 'ada', again: true }));
  expect(Number(await redis.client().hget(repository.keys.sessionKey(sid), 'creationTime'))).toBe(now + 1);
  await store.destroy(sid);
  await events.until(() => events.of('deleted', sid).length === 2, 'the second deleted event', 5000);

  const ends = events.of('deleted', sid);
  expect(ends.map((event) => event.session?.getAttribute('again') ?? null)).toEqual([null, true]);
  expect(ends.map((event) => event.session?.creationTime)).toEqual([now, now + 1]);
  // Sentinel: another session's end arrives after them, and no third end of the reused id came.
  await store.set('sentinel-00000000000000000000000', data({ user: 'bob' }));
  await store.destroy('sentinel-00000000000000000000000');
  await events.next('deleted', 'sentinel-00000000000000000000000');
  expect(events.of('deleted', sid)).toHaveLength(2);
  const created = events.of('created', sid).map((event) => event.session?.creationTime);
  // The created message is dated as the hash with JSON; another serializer's message keeps the time the store chose.
  expect(created).toEqual(TEST_SERIALIZER_KIND === 'json' ? [now, now + 1] : [now, now]);
});
