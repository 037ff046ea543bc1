// The README's "Migrating from connect-redis" section, run: its app (quoted from the README) on
// LapseStore, and the same app with its one store line (and the import) back on connect-redis,
// answer the same requests the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '@lapse/redis-harness';
import { useRedis } from './support/redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const redis = useRedis();
const STORE_LINE = '    store: new LapseStore({ client }),';
const running: { child: ChildProcess; file: string }[] = [];

afterEach(async () => {
  for (const { child, file } of running.splice(0)) {
    child.kill();
    await rm(file, { force: true });
  }
});

/** The section's code block. */
async function migrationExample(): Promise<string> {
  const readme = await readFile(`${root}README.md`, 'utf8');
  const section = readme.split('### Migrating from connect-redis')[1]?.split('\n## ')[0] ?? '';
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('no js block in the migration section');
  return code;
}

/** Starts `code` as an app (from integration-tests, where its packages resolve) and resolves its URL once it listens. */
async function start(code: string, name: string): Promise<string> {
  const file = `${root}integration-tests/.readme-${name}-${process.pid}.mjs`;
  await writeFile(file, code);
  const port = await findFreePort();
  const child = spawn(process.execPath, [file], { env: { ...process.env, REDIS_URL: redis.handle.url, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  running.push({ child, file });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 10 s`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${String(code)}`)));
  });
  return `http://127.0.0.1:${port}`;
}

/** Logs in and reads the session back, as a browser would; the answers the app gave. */
async function session(url: string): Promise<string[]> {
  const anonymous = await (await fetch(`${url}/me`)).text();
  const login = await fetch(`${url}/login`, { method: 'POST' });
  const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
  // The whole response first: express-session sends its last byte once the store has saved.
  const loggedIn = await login.text();
  const me = await (await fetch(`${url}/me`, { headers: { cookie } })).text();
  return [anonymous, loggedIn, me];
}

describe("README's migration from connect-redis", () => {
  it('changes one line of a connect-redis app (its store construction, with its import), and both apps answer the same', async () => {
    const lapse = await migrationExample();
    expect(lapse.split('\n').filter((line) => line === STORE_LINE)).toHaveLength(1);
    const before = lapse
      .replace(STORE_LINE, '    store: new RedisStore({ client }),')
      .replace("import { LapseStore } from '@lapse/express-session';", "import { RedisStore } from 'connect-redis';");
    const changed = lapse.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toEqual(["import { LapseStore } from '@lapse/express-session';", STORE_LINE]);

    const expected = ['nobody', 'logged in', 'ada'];
    expect(await session(await start(before, 'connect-redis'))).toEqual(expected);
    expect(await session(await start(lapse, 'lapse'))).toEqual(expected);
  });
});
