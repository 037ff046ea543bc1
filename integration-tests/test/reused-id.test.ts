// An id used again after its session ended (a fixed id, a custom generator, log out then in):
// the new session is stored, and each life ends once, with its own data.
import { SessionEventListener } from '@lapse/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventRecorder } from './support/EventRecorder.js';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { awaitSentinel } from './support/sentinel.js';
import { testRepository } from './support/testRepository.js';
import type { RedisIndexedSessionRepository } from '@lapse/repository';

const redis = useRedis();
const ID = 'reusedreusedreusedreusedreused01';

describe('an id reused after its session ended', () => {
  let repository: RedisIndexedSessionRepository;
  let listener: SessionEventListener;
  let events: EventRecorder;
  beforeEach(async () => {
    repository = await testRepository(redis.client(), { namespace: uniqueNamespace('reuse'), cleanupCron: null });
    listener = new SessionEventListener(repository);
    events = new EventRecorder(listener);
    await listener.start();
  });
  afterEach(async () => {
    await listener.close();
    await repository.close();
  });

  it('after deleteById: the new session is stored, and each life ends once with its own data', async () => {
    const first = await repository.createSession({ id: ID });
    first.setAttribute('life', 1);
    expect(await repository.save(first)).toBe(true);
    await repository.deleteById(ID, { reason: 'logout' });

    const second = await repository.createSession({ id: ID });
    second.setAttribute('life', 2);
    expect(await repository.save(second)).toBe(true);
    expect((await repository.findById(ID))?.getAttribute('life')).toBe(2);
    await repository.deleteById(ID, { reason: 'logout' });

    await awaitSentinel(repository, events);
    expect(events.of('deleted', ID).map((e) => e.session?.getAttribute('life'))).toEqual([1, 2]);
    expect(events.of('expired', ID)).toEqual([]);
    expect(events.of('created', ID).map((e) => e.session?.getAttribute('life'))).toEqual([1, 2]);
  });

  it('while the first life is live, a second session with its id is not written', async () => {
    const first = await repository.createSession({ id: ID });
    first.setAttribute('life', 1);
    await repository.save(first);
    const second = await repository.createSession({ id: ID });
    second.setAttribute('life', 2);
    expect(await repository.save(second)).toBe(false);
    expect((await repository.findById(ID))?.getAttribute('life')).toBe(1);
  });
});
