// The save path as docs/architecture.md ("A save") lists it, checked against the stack of real
// saves: from repository.save to the client adapter's runScript, file by file.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientUnderTest, uniqueNamespace, useRedis, type TestClientKind } from '@lapse/redis-harness/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisIndexedSessionRepository } from '../src/index.js';
import { type RedisConnection } from '../src/internal.js';

const redis = useRedis();
const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Most calls between files from `save` to the adapter's `runScript`, and most files in all (with what runs after the reply). */
const MAX_HOPS = 5;
const MAX_FILES = 8;

/** The files the architecture page gives for a save: the chain to the adapter, and what runs after the reply. */
function documentedSavePath(): { chain: string[]; afterReply: string[] } {
  const page = readFileSync(join(packagesDir, '..', 'docs', 'architecture.md'), 'utf8');
  const section = page.slice(page.indexOf('## A save\n'));
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
  const [before, after = ''] = block.split(/^once Redis has answered.*$/m);
  const paths = (text: string | undefined): string[] => [...(text ?? '').matchAll(/repository\/src\/\S+\.ts/g)].map((m) => m[0]);
  return { chain: paths(before), afterReply: paths(after) };
}

/** The repository's files on a stack, outermost first, each once per run of frames in it (`dist/*.js` read as `src/*.ts`). */
function filesOnStack(stack: string): string[] {
  const files: string[] = [];
  for (const line of stack.split('\n').reverse()) {
    const match = /packages\/repository\/(?:src|dist)\/([^:()]+)\.(?:ts|js):\d+:\d+\)?\s*$/.exec(line);
    if (match === null) continue;
    const file = `repository/src/${match[1]}.ts`;
    if (files.at(-1) !== file) files.push(file);
  }
  return files;
}

/** The stacks of the calls of `connection.runScript` while `run` runs. */
async function runScriptStacks(connection: RedisConnection, run: () => Promise<unknown>): Promise<string[]> {
  const stacks: string[] = [];
  const original = connection.runScript;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Number.POSITIVE_INFINITY;
  connection.runScript = function (this: RedisConnection, ...call) {
    stacks.push(new Error('runScript').stack ?? '');
    return original.apply(this, call);
  };
  try {
    await run();
  } finally {
    connection.runScript = original;
    Error.stackTraceLimit = limit;
  }
  return stacks;
}

const repositories: RedisIndexedSessionRepository[] = [];
afterEach(async () => {
  await Promise.all(repositories.splice(0).map((repository) => repository.close()));
});

describe('the save path', () => {
  const documented = documentedSavePath();
  const adapterLine = documented.chain.at(-1) as string;
  /** The documented chain through one of its alternative scripts. */
  const withOnlyScript = (script: string): string[] => documented.chain.filter((file) => !file.includes('/redis/scripts/') || file === script);

  it('the architecture page lists at most 8 files, each of which exists', () => {
    expect(documented.chain.slice(0, 2)).toEqual(['repository/src/RedisIndexedSessionRepository.ts', 'repository/src/save/SessionSaveQueue.ts']);
    expect(adapterLine).toBe('repository/src/redis/clients/{ioredis,node-redis}/*Connection.ts');
    const scripts = documented.chain.filter((file) => file.includes('/redis/scripts/'));
    expect(scripts.map((file) => file.slice(file.lastIndexOf('/') + 1))).toEqual(['refresh-session.ts', 'touch-session.ts', 'save-session.ts']);
    for (const script of scripts) expect(new Set([...withOnlyScript(script), ...documented.afterReply]).size).toBeLessThanOrEqual(MAX_FILES);
    for (const file of [...documented.chain.slice(0, -1), ...documented.afterReply]) expect(() => readFileSync(join(packagesDir, file))).not.toThrow();
    // What runs after the reply is called by the writer itself, not through a layer that forwards.
    const writer = readFileSync(join(packagesDir, 'repository/src/save/SessionWriter.ts'), 'utf8');
    expect(documented.afterReply).toEqual(['repository/src/session/SessionState.ts', 'repository/src/expiration/sorted-set/DeadlineSweeper.ts']);
    expect(writer).toMatch(/\bmarkPersisted\(session,/);
    expect(writer).toMatch(/\.deadlineSweeper\?\.deadlineIn\(/);
  });

  describe.each([
    ['ioredis', 'minute-buckets'],
    ['node-redis', 'sorted-set'],
  ] as const)('%s, %s', (kind: TestClientKind, expirationIndex) => {
    it('a touch and a new session each reach the adapter in one script call, through the files the page lists', async () => {
      const client = await clientUnderTest(redis.client(), { kind });
      const repository = new RedisIndexedSessionRepository(client, { namespace: uniqueNamespace('save-path'), expirationIndex });
      repositories.push(repository);
      // The first call of a repository waits for its database check: the stacks after it are whole.
      const session = await repository.createSession();
      session.setAttribute('user', 'ada');
      expect(await repository.save(session)).toBe(true);

      session.setAttribute('user', 'grace');
      const touch = await runScriptStacks(repository.connection, () => repository.save(session));
      const fresh = await repository.createSession();
      fresh.setAttribute('user', 'ada');
      const created = await runScriptStacks(repository.connection, () => repository.save(fresh));

      expect(touch).toHaveLength(1);
      expect(created).toHaveLength(1);
      // A touch of a session without :idx set takes refresh-session with minute buckets, touch-session with the sorted set.
      const touchScript = expirationIndex === 'sorted-set' ? 'touch-session.ts' : 'refresh-session.ts';
      expect(filesOnStack(touch[0] as string)).toEqual(withOnlyScript(`repository/src/redis/scripts/${touchScript}`).slice(0, -1));
      expect(filesOnStack(created[0] as string)).toEqual(withOnlyScript('repository/src/redis/scripts/save-session.ts').slice(0, -1));
      // Hops between files: one from each file on the stack to the next, the last into the adapter.
      expect(filesOnStack(touch[0] as string).length).toBeLessThanOrEqual(MAX_HOPS);
      expect(filesOnStack(created[0] as string).length).toBeLessThanOrEqual(MAX_HOPS);
      const adapter = `${kind}/${repository.connection.constructor.name}.ts`;
      expect(['ioredis/IoredisConnection.ts', 'node-redis/NodeRedisConnection.ts']).toContain(adapter);
      expect((await repository.findById(session.id))?.getAttribute('user')).toBe('grace');
      expect((await repository.findById(fresh.id))?.getAttribute('user')).toBe('ada');
    });
  });
});
