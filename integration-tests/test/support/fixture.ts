import { SessionEventListener, type SessionEventListenerOptions } from '@lapse/events';
import {
  RedisIndexedSessionRepository,
  type RedisIndexedSessionRepositoryOptions,
} from '@lapse/repository';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import { EventRecorder } from './EventRecorder.js';
import { uniqueNamespace, type SuiteRedis } from './redis.js';
import { testRepository } from './testRepository.js';

/** A repository (own namespace, no schedule unless asked) and a started listener, per test. */
export interface RepositoryFixture {
  readonly client: Redis;
  readonly repository: RedisIndexedSessionRepository;
  readonly listener: SessionEventListener;
  readonly events: EventRecorder;
}

/** Gives each test of the file a fresh repository, listener and event recorder on the suite's Redis. */
export function useRepository(
  redis: SuiteRedis,
  options: RedisIndexedSessionRepositoryOptions = {},
  listenerOptions: SessionEventListenerOptions = {},
): RepositoryFixture {
  let current: RepositoryFixture | undefined;
  beforeEach(async () => {
    const client = redis.client();
    const repository = await testRepository(client, { namespace: uniqueNamespace(), cleanupCron: null, ...options });
    const listener = new SessionEventListener(repository, listenerOptions);
    const events = new EventRecorder(listener);
    await listener.start();
    current = { client, repository, listener, events };
  });
  afterEach(async () => {
    await current?.listener.close();
    await current?.repository.close();
    current = undefined;
  });
  const get = (): RepositoryFixture => {
    if (current === undefined) throw new Error('fixture is created in beforeEach');
    return current;
  };
  return {
    get client() { return get().client; },
    get repository() { return get().repository; },
    get listener() { return get().listener; },
    get events() { return get().events; },
  };
}
