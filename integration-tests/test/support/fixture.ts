import { SessionEventListener, type SessionEventListenerOptions } from '@lapse/events';
import {
  type MapSessionRepository,
  type RedisIndexedSessionRepository,
  type RedisIndexedSessionRepositoryOptions,
} from '@lapse/repository';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import { EventRecorder } from './EventRecorder.js';
import { uniqueNamespace, type SuiteRedis } from './redis.js';
import { testRepository } from './testRepository.js';

/** A repository, a started listener on it and the listener's event recorder, for the current test. */
export interface ListeningRepository<R extends RedisIndexedSessionRepository | MapSessionRepository = RedisIndexedSessionRepository> {
  readonly repository: R;
  readonly listener: SessionEventListener;
  readonly events: EventRecorder;
}

/**
 * Gives each test of the file the repository `make` builds, a started listener on it and an
 * event recorder; after the test the listener is closed, then the repository. Read the fields
 * inside tests and hooks.
 */
export function useListeningRepository<R extends RedisIndexedSessionRepository | MapSessionRepository>(
  make: () => Promise<R>,
  listenerOptions: SessionEventListenerOptions = {},
): ListeningRepository<R> {
  let current: ListeningRepository<R> | undefined;
  beforeEach(async () => {
    const repository = await make();
    const listener = new SessionEventListener(repository, listenerOptions);
    const events = new EventRecorder(listener);
    await listener.start();
    current = { repository, listener, events };
  });
  afterEach(async () => {
    await current?.listener.close();
    await current?.repository.close();
    current = undefined;
  });
  const get = (): ListeningRepository<R> => {
    if (current === undefined) throw new Error('the repository and listener are made in beforeEach: read them inside a test or hook');
    return current;
  };
  return {
    get repository() { return get().repository; },
    get listener() { return get().listener; },
    get events() { return get().events; },
  };
}

/** A repository (own namespace, no schedule unless asked) and a started listener, per test. */
export interface RepositoryFixture extends ListeningRepository {
  readonly client: Redis;
}

/** Gives each test of the file a fresh repository, listener and event recorder on the suite's Redis. */
export function useRepository(
  redis: SuiteRedis,
  options: RedisIndexedSessionRepositoryOptions = {},
  listenerOptions: SessionEventListenerOptions = {},
): RepositoryFixture {
  let client: Redis | undefined;
  const listening = useListeningRepository(async () => {
    client = redis.client();
    return testRepository(client, { namespace: uniqueNamespace(), cleanupCron: null, ...options });
  }, listenerOptions);
  return {
    get client() {
      if (client === undefined) throw new Error('fixture is created in beforeEach');
      return client;
    },
    get repository() { return listening.repository; },
    get listener() { return listening.listener; },
    get events() { return listening.events; },
  };
}
