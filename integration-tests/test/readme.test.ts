// The README's usage example is a real file, quoted verbatim in the README and run here.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useRedis } from './support/redis.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const redis = useRedis();

describe('README', () => {
  it('quotes the usage example (node-redis) and its ioredis construction verbatim', async () => {
    const readme = await readFile(`${root}README.md`, 'utf8');
    for (const file of ['readme-example.ts', 'readme-ioredis.ts']) {
      const example = await readFile(`${root}integration-tests/src/examples/${file}`, 'utf8');
      expect(readme).toContain('```ts\n' + example + '```');
    }
  });

  it('its ioredis construction stores and finds a session', async () => {
    const { stdout, stderr } = await run(process.execPath, [`${root}integration-tests/dist/examples/readme-ioredis.js`], {
      env: { ...process.env, REDIS_URL: redis.handle.url },
      timeout: 20_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toBe('found ada\n');
  });

  it('its usage example runs and reports the logout with the session data', async () => {
    const { stdout, stderr } = await run(process.execPath, [`${root}integration-tests/dist/examples/readme-example.js`], {
      env: { ...process.env, REDIS_URL: redis.handle.url },
      timeout: 20_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^deleted [A-Za-z0-9_-]{32}: user ada \(logout\)\n$/);
  });

  it('has exactly two commands in its quick start, the demo and the tests', async () => {
    const readme = await readFile(`${root}README.md`, 'utf8');
    const quickStart = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
    const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
    expect(commands).toHaveLength(2);
    const ci = await readFile(`${root}.ci/run`, 'utf8');
    expect(ci).toContain(commands[1] as string);
  });
});
