// `--redis redis://host:port/99` on a Redis with 16 databases: ioredis's SELECT fails and it stays
// on database 0; node-redis refuses to connect. Every command must exit 1 with
// `cannot select database 99 (…)` and touch nothing: the session in database 0 survives, no key
// changes, no setting changes, and Redis ran no command but the connection's own.
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_CLIENT, isOneLine, lapse } from './support/lapse.js';
import { closeClientUnderTest, useRedis } from './support/redis.js';

// Fresh: the test reads Redis's command statistics, which another suite's commands would blur.
const redis = useRedis({ fresh: true, args: ['--databases', '16'] });
let admin: Redis;
let repository: RedisIndexedSessionRepository;
let victimId: string;
let url99: string;

/** Commands a connection may run before lapse knows its database; any other means lapse touched Redis. */
const CONNECTION_COMMANDS = new Set(['select', 'hello', 'auth', 'client|setinfo', 'client|setname', 'client|info', 'ping', 'quit', 'info', 'config|resetstat']);

/** The commands Redis ran since the last `CONFIG RESETSTAT` (from INFO commandstats), by name. */
async function commandsRun(): Promise<string[]> {
  const text = await admin.info('commandstats');
  return [...text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].filter(([, , calls]) => Number(calls) > 0).map(([, name]) => name ?? '');
}

/** Everything in database 0, to compare before and after. */
async function snapshot(): Promise<{ keys: string[]; flags: string }> {
  const keys = (await admin.keys('*')).sort();
  const flags = ((await admin.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '';
  return { keys, flags };
}

beforeAll(async () => {
  admin = redis.client();
  repository = new RedisIndexedSessionRepository(await clientUnderTest(admin), { cleanupCron: null });
  const session = await repository.createSession({ maxInactiveInterval: 600 });
  session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'victim');
  await repository.save(session);
  victimId = session.id;
  url99 = `${redis.handle.url.replace(/\/\d+$/, '')}/99`;
  expect(((await admin.config('GET', 'databases')) as string[])[1]).toBe('16');
});

afterAll(async () => {
  await repository?.close();
  await closeClientUnderTest(repository?.client, admin);
});

/** Runs one command against database 99 and checks it refused, one line, having run nothing on Redis. */
async function refused(args: readonly string[], client: 'ioredis' | 'node-redis' | undefined, allowStdout = false): Promise<void> {
  const before = await snapshot();
  await admin.config('RESETSTAT');
  const run = await lapse([...args, '--redis', url99], { client, timeoutMs: 30_000 });
  const ran = (await commandsRun()).filter((name) => !CONNECTION_COMMANDS.has(name));
  expect(run.code, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(1);
  expect(isOneLine(run.stderr)).toBe(true);
  expect(run.stderr).toMatch(new RegExp(`^lapse ${args[0] ?? ''}: cannot select database 99 \\(ERR DB index is out of range[;)]`));
  expect(run.stderr).toContain('nothing was read, written or deleted');
  if (!allowStdout) expect(run.stdout).toBe('');
  expect(run.stdout).not.toMatch(/database 99/);
  expect(ran).toEqual([]);
  expect(await snapshot()).toEqual(before);
}

describe.each(['ioredis', 'node-redis'] as const)('--redis …/99 with --client %s', (client) => {
  it('lapse logout victim exits 1 with "cannot select database 99 (…)"; the session in database 0 survives', async () => {
    await refused(['logout', 'victim'], client);
    expect(await repository.findById(victimId)).not.toBeNull();
    expect([...(await repository.findByPrincipalName('victim')).keys()]).toEqual([victimId]);
  });
});

describe(`every command on …/99 (this run's client: ${CLI_CLIENT ?? 'the default'})`, () => {
  it.each([
    [['ls']],
    [['ls', '--principal', 'victim']],
    [['show', 'VICTIM']],
    [['rm', 'VICTIM']],
    [['stats']],
    [['stats', '--fix']],
    [['watch', '--count', '1']],
    [['watch', '--sweep', '--count', '1']],
    [['doctor']],
  ])('lapse %j refuses, touching nothing', async (args) => {
    await refused(args.map((word) => (word === 'VICTIM' ? victimId : word)), CLI_CLIENT);
  });

  it('lapse demo --redis …/99 refuses before its story (its header lines only), touching nothing', async () => {
    await refused(['demo'], CLI_CLIENT, true);
  });

  it('the session in database 0 is still live and unchanged', async () => {
    const session = await repository.findById(victimId);
    expect(session?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBe('victim');
    const ls = await lapse(['ls', '--json', '--redis', redis.handle.url]);
    expect(ls.code).toBe(0);
    expect((JSON.parse(ls.stdout) as { id: string }[]).map((s) => s.id)).toEqual([victimId]);
  });
});
