// lapse watch: events of sessions written by the repository, as JSON lines and as text, until
// Ctrl-C or --count; and a clear failure when it may not turn keyspace notifications on.
import { startRedis, type RedisHandle } from '@lapse/redis-harness';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOneLine, lapse, LapseProcess } from './support/lapse.js';
import { closeClientUnderTest, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
let inspection: Redis;
let repository: RedisIndexedSessionRepository;
let namespace: string;
const running: LapseProcess[] = [];

function watch(...args: string[]): LapseProcess {
  const child = new LapseProcess(['watch', ...args, '--redis', redis.handle.url, '--namespace', namespace]);
  running.push(child);
  return child;
}

beforeAll(async () => {
  namespace = uniqueNamespace('watch');
  inspection = redis.client();
  repository = new RedisIndexedSessionRepository(await clientUnderTest(inspection), { namespace, cleanupCron: null });
});

afterAll(async () => {
  await repository?.close();
  await closeClientUnderTest(repository?.client, inspection);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop()));
});

describe('lapse watch', () => {
  it('--json streams created, deleted (with reason) and expired (with lag) until Ctrl-C, then exits 0', async () => {
    const watcher = watch('--json', '--sweep');
    await watcher.waitForLine('stderr', /^lapse watch: listening to namespace lapse-watch:\S+ on redis:\/\/\S+, sweeping every second \(Ctrl-C to stop\)$/);

    const short = await repository.createSession({ maxInactiveInterval: 1 });
    short.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'ada');
    await repository.save(short);
    const other = await repository.createSession({ maxInactiveInterval: 60 });
    other.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'bob');
    await repository.save(other);
    await repository.deleteById(other.id, { reason: 'test logout' });

    const parse = (line: string): Record<string, unknown> => JSON.parse(line) as Record<string, unknown>;
    const created = parse(await watcher.waitForLine('stdout', new RegExp(`"type":"created","sessionId":"${short.id}"`)));
    expect(created).toMatchObject({ type: 'created', sessionId: short.id, principal: 'ada', reason: null });
    expect(created['time']).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const deleted = parse(await watcher.waitForLine('stdout', new RegExp(`"type":"deleted","sessionId":"${other.id}"`)));
    expect(deleted).toMatchObject({ principal: 'bob', lagMs: null, reason: 'test logout' });
    const expired = parse(await watcher.waitForLine('stdout', new RegExp(`"type":"expired","sessionId":"${short.id}"`), 8000));
    expect(expired['principal']).toBe('ada');
    expect(expired['lagMs']).toBeTypeOf('number');

    watcher.child.kill('SIGINT');
    expect(await watcher.exitCode()).toBe(0);
    expect(watcher.stdout.filter((line) => line !== '').every((line) => line.startsWith('{"time":"'))).toBe(true);
    expect(watcher.stdout.join('\n')).not.toContain('\x1b');
  });

  it('--count 1 prints one text line and exits 0 by itself', async () => {
    const watcher = watch('--count', '1');
    await watcher.waitForLine('stderr', /listening to namespace/);
    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'carol');
    await repository.save(session);
    expect(await watcher.exitCode()).toBe(0);
    expect(watcher.stdout.filter((line) => line !== '')).toEqual([
      expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z {2}created {2}${session.id} {2}principal=carol {2}lag=-?\\d+ms$`)),
    ]);
  });

  describe('without keyspace notifications', () => {
    let fresh: RedisHandle;
    beforeAll(async () => {
      fresh = await startRedis({ fresh: true });
      const client = new Redis(fresh.url);
      await client.config('SET', 'notify-keyspace-events', '');
      await client.quit();
      return () => fresh.stop();
    });

    it('--no-configure fails in one line naming the setting, exit 1; without it, it turns them on and says so', async () => {
      const refused = await lapse(['watch', '--no-configure', '--redis', fresh.url]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(isOneLine(refused.stderr)).toBe(true);
      // Whole: the error line's shortening of long quoted values once cut out the text between "" and "Egx".
      expect(refused.stderr.trim()).toBe(
        'lapse watch: Redis has notify-keyspace-events "", so session expiry and deletion events would never arrive: set it in redis.conf ' +
          'or in your provider\'s console: notify-keyspace-events "Egx" (any value holding E, g and x, or E and A) (see \'lapse doctor\')',
      );

      const watcher = new LapseProcess(['watch', '--redis', fresh.url, '--count', '1']);
      running.push(watcher);
      await watcher.waitForLine('stderr', /^lapse watch: turned on keyspace notifications: notify-keyspace-events is now "E?gxE?"$/);
      await watcher.waitForLine('stderr', /listening to namespace spring:session/);
    });
  });
});
