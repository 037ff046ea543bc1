// An id used again after its session ended (a fixed id, a custom generator, log out then in):
// the new session is stored, and each life ends once, with its own data.
import { describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from './support/redis.js';
import { awaitSentinel } from './support/sentinel.js';
import { testRepository } from './support/testRepository.js';
import { useListeningRepository } from './support/fixture.js';

const redis = useRedis();
const ID = 'reusedreusedreusedreusedreused01';

describe('an id reused after its session ended', () => {
  const f = useListeningRepository(() => testRepository(redis.client(), { namespace: uniqueNamespace('reuse'), cleanupCron: null }));

  it('after deleteById: the new session is stored, and each life ends once with its own data', async () => {
    const first = await f.repository.createSession({ id: ID });
    first.setAttribute('life', 1);
    expect(await f.repository.save(first)).toBe(true);
    await f.repository.deleteById(ID, { reason: 'logout' });

    const second = await f.repository.createSession({ id: ID });
    second.setAttribute('life', 2);
    expect(await f.repository.save(second)).toBe(true);
    expect((await f.repository.findById(ID))?.getAttribute('life')).toBe(2);
    await f.repository.deleteById(ID, { reason: 'logout' });

    await awaitSentinel(f.repository, f.events);
    expect(f.events.of('deleted', ID).map((e) => e.session?.getAttribute('life'))).toEqual([1, 2]);
    expect(f.events.of('expired', ID)).toEqual([]);
    expect(f.events.of('created', ID).map((e) => e.session?.getAttribute('life'))).toEqual([1, 2]);
  });

  it('while the first life is live, a second session with its id is not written', async () => {
    const first = await f.repository.createSession({ id: ID });
    first.setAttribute('life', 1);
    await f.repository.save(first);
    const second = await f.repository.createSession({ id: ID });
    second.setAttribute('life', 2);
    expect(await f.repository.save(second)).toBe(false);
    expect((await f.repository.findById(ID))?.getAttribute('life')).toBe(1);
  });
});

describe('an id reused within the millisecond its session ended', () => {
  // A clock that does not move: the second life is created in the same millisecond as the first.
  const now = Date.now();
  const f = useListeningRepository(() => testRepository(redis.client(), { namespace: uniqueNamespace('reuse-ms'), cleanupCron: null, clock: () => now }));

  it('each life ends once with its own event: the second is stored a millisecond after the first', async () => {
    for (const life of [1, 2]) {
      const session = await f.repository.createSession({ id: ID });
      session.setAttribute('life', life);
      expect(await f.repository.save(session)).toBe(true);
      await f.repository.deleteById(ID, { reason: 'logout' });
    }
    await awaitSentinel(f.repository, f.events);
    const ends = f.events.of('deleted', ID);
    expect(ends.map((e) => e.session?.getAttribute('life'))).toEqual([1, 2]);
    expect(ends.map((e) => e.session?.creationTime)).toEqual([now, now + 1]);
  });
});
