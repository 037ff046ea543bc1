// The README's "Migrating from connect-redis" section, run: its app (quoted from the README) on
// LapseStore, and the same app with its one changed line (the store's import) back on
// connect-redis, answer the same requests the same way; a user logged in before the switch is still
// logged in after it; the section's events example runs.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '@lapse/redis-harness';
import { useRedis } from './support/redis.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const redis = useRedis();
const IMPORT_LINE = "import { RedisStore } from '@lapse/express-session';";
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

/** The section's example of events for a store built from `{ client }`. */
async function eventsExample(): Promise<string> {
  const readme = await readFile(`${root}README.md`, 'utf8');
  const section = readme.split('### Migrating from connect-redis')[1]?.split('\n## ')[0] ?? '';
  const code = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((block) => block.includes('new SessionEventListener(store.repository)'));
  if (code === undefined) throw new Error('no events example in the migration section');
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
  it('changes one line of a connect-redis app (the store\'s import), and both apps answer the same', async () => {
    const lapse = await migrationExample();
    expect(lapse.split('\n').filter((line) => line === IMPORT_LINE)).toHaveLength(1);
    expect(lapse).toContain('store: new RedisStore({ client }),');
    const before = lapse.replace(IMPORT_LINE, "import { RedisStore } from 'connect-redis';");
    const changed = lapse.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toEqual([IMPORT_LINE]);

    const expected = ['nobody', 'logged in', 'ada'];
    expect(await session(await start(before, 'connect-redis'))).toEqual(expected);
    expect(await session(await start(lapse, 'lapse'))).toEqual(expected);
  });

  it('an app switched by that line keeps its users logged in: the same cookie reads the session connect-redis wrote', async () => {
    const lapse = await migrationExample();
    const before = await start(lapse.replace(IMPORT_LINE, "import { RedisStore } from 'connect-redis';"), 'connect-redis-before');
    const login = await fetch(`${before}/login`, { method: 'POST' });
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
    expect(await login.text()).toBe('logged in');
    for (const { child, file } of running.splice(0)) {
      child.kill();
      await rm(file, { force: true });
    }

    const after = await start(lapse, 'lapse-after');
    expect(await (await fetch(`${after}/me`, { headers: { cookie } })).text()).toBe('ada');
  });

  it('its example of events for a store built from { client } prints the logout-everywhere end', async () => {
    const file = `${root}integration-tests/.readme-store-events-${process.pid}.mjs`;
    await writeFile(file, await eventsExample());
    try {
      const { stdout, stderr } = await run(process.execPath, [file], { env: { ...process.env, REDIS_URL: redis.handle.url }, timeout: 20_000 });
      expect(stderr).toBe('');
      expect(stdout).toBe('deleted sid-of-ada (logout-everywhere)\n');
    } finally {
      await rm(file, { force: true });
    }
  });
});
