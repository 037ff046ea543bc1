// The repository sends the commands of one tick in few socket writes (option coalesceWrites),
// without holding anything past the tick or disturbing the application's own commands.
// ioredis only (vitest.config.ts): node-redis batches a tick's commands itself, lapse corks only ioredis's socket.
import type { RedisIndexedSessionRepository } from '@lapse/repository';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from '@lapse/redis-harness/vitest';
import { testRepository } from './support/testRepository.js';

const redis = useRedis();
let repository: RedisIndexedSessionRepository | undefined;
afterEach(async () => {
  await repository?.close();
  repository = undefined;
});

/** Counts the writes Node makes on the connection's socket (each one a system call). */
function countSocketWrites(client: Redis): { readonly writes: number } {
  const socket = client.stream as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const counter = { writes: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method];
    socket[method] = function (this: unknown, ...args: unknown[]) {
      counter.writes += 1;
      return original.apply(this, args);
    };
  }
  return counter;
}

async function sessions(client: Redis, count: number, coalesceWrites: boolean): Promise<string[]> {
  repository = await testRepository(client, { namespace: uniqueNamespace(), cleanupCron: null, coalesceWrites });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const session = await repository.createSession();
    session.setAttribute('n', i);
    await repository.save(session);
    ids.push(session.id);
  }
  return ids;
}

describe('write coalescing', () => {
  it('128 finds and the application\'s own command in one tick go out in a few writes, all answered', async () => {
    const client = redis.client();
    const ids = await sessions(client, 128, true);
    await client.set('app-key', 'app-value');
    const counter = countSocketWrites(client);

    const finds = ids.map((id) => repository!.findById(id));
    const own = client.get('app-key');
    const [found, value] = await Promise.all([Promise.all(finds), own]);

    expect(found.map((session) => session?.getAttribute('n'))).toEqual(ids.map((_, i) => i));
    expect(value).toBe('app-value');
    // lapse lets 32 of its commands out at a time (32 finds: a find of a session far from its
    // deadline is one HGETALL), so Redis starts on the first ones early: three writes of 32
    // finds, then the last 32 with the application's GET at the tick's end.
    expect(counter.writes).toBe(4);
    expect(client.stream.writableCorked).toBe(0);
  });

  it('nothing waits past the tick: a lone call goes out at once and the socket is left uncorked', async () => {
    const client = redis.client();
    const [id] = await sessions(client, 1, true);
    const counter = countSocketWrites(client);
    const session = await repository!.findById(id as string);
    expect(session?.getAttribute('n')).toBe(0);
    expect(counter.writes).toBe(1);
    expect(client.stream.writableCorked).toBe(0);
  });

  it('coalesceWrites: false leaves the socket alone: one write per command (one per find)', async () => {
    const client = redis.client();
    const ids = await sessions(client, 32, false);
    const counter = countSocketWrites(client);
    const found = await Promise.all(ids.map((id) => repository!.findById(id)));
    expect(found.every((session) => session !== null)).toBe(true);
    expect(counter.writes).toBe(32);
  });
});
