import { SessionEventListener } from '@lapse/events';
import type { LapseStore } from '@lapse/express-session';
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { eventually } from './redis.js';

/**
 * Stores a one-second session of user `grace` through `store`, lets its shadow key expire,
 * sweeps, and checks that a listener on `listenerRepository` reports the expiry with the
 * session's data and that the user's principal-index entry then goes.
 */
export async function expectExpiryLeavesPrincipalIndex(options: {
  readonly store: LapseStore;
  readonly listenerRepository: RedisIndexedSessionRepository;
  readonly admin: Redis;
  readonly indexKey: (user: string) => string;
  readonly namespace: string;
}): Promise<void> {
  const { store, admin, indexKey, namespace } = options;
  const listener = new SessionEventListener(options.listenerRepository);
  const expired = new Promise<{ sessionId: string; user: unknown }>((resolve) =>
    listener.on('expired', (event) => resolve({ sessionId: event.sessionId, user: event.session?.getAttribute('user') })),
  );
  await listener.start();
  try {
    const sid = 'expiring-session';
    await store.set(sid, { cookie: { originalMaxAge: 1000, expires: new Date(Date.now() + 1000).toISOString() }, user: 'grace' } as never);
    expect(await admin.smembers(indexKey('grace'))).toEqual([sid]);
    await eventually(() => admin.exists(`${namespace}:sessions:expires:${sid}`), (n) => n === 0, 'the shadow key to expire');
    await store.repository.cleanupExpiredSessions();
    expect(await expired).toEqual({ sessionId: sid, user: 'grace' });
    await eventually(() => admin.scard(indexKey('grace')), (n) => n === 0, 'the index entry to go');
  } finally {
    await listener.close();
  }
}
