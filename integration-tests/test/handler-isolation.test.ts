// A handler that throws or never finishes does not block or lose other events.
import { PRINCIPAL_NAME_INDEX_NAME, SessionSerializationError } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { useRepository } from './support/fixture.js';
import { useRedis } from './support/redis.js';

const redis = useRedis();
const f = useRepository(redis, { maxAttributeBytes: 1024 });

describe('handlers', () => {
  it('a handler stuck forever on one event does not hold back the next ones', async () => {
    let first: string | null = null;
    f.listener.on('deleted', (event) => {
      if (first === null) {
        first = event.sessionId;
        return new Promise<void>(() => undefined);
      }
      return undefined;
    });
    f.listener.on('deleted', async () => {
      throw new Error('async handler bug');
    });
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const session = await f.repository.createSession();
      session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'stuck');
      await f.repository.save(session);
      ids.push(session.id);
    }
    expect(await f.repository.deleteByPrincipalName('stuck')).toBe(20);
    await f.events.count('deleted', 20, 5000);
    expect(new Set(f.events.of('deleted').map((e) => e.sessionId))).toEqual(new Set(ids));
    await f.events.until(() => f.events.errors.filter((e) => e.message === 'async handler bug').length === 20, '20 reported errors', 5000);
  });
});

describe('oversize values', () => {
  it('are refused before anything is written, naming the attribute', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('small', 'ok');
    await f.repository.save(session);
    session.setAttribute('big', 'x'.repeat(2000));
    const error = await f.repository.save(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionSerializationError);
    expect(error).toMatchObject({ sessionId: session.id, attributeName: 'big', message: expect.stringContaining('maxAttributeBytes') });
    expect((await f.repository.findById(session.id))!.getAttributeNames()).toEqual(['small']);
  });
});
