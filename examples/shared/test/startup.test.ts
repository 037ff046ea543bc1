// The examples' main.ts started as a user starts them (node dist/main.js), where they cannot run:
// no Redis at REDIS_URL (a free port nothing listens on; never 6379), or, for fastify, a secret
// too short for @fastify/session. Each exits 1 with one line saying what to do, and nothing more.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EXAMPLES = ['express', 'fastify'] as const;
/** A guard against hanging, not a speed claim: the examples give up at the first refused connection. */
const EXIT_WAIT_MS = 15_000;

/** A loopback port nothing listens on (taken from the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `node examples/<name>/dist/main.js` with `env`; resolves with its exit code and output, or kills it after `EXIT_WAIT_MS`. */
function run(name: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = fileURLToPath(new URL(`../../${name}/dist/main.js`, import.meta.url));
  const child = spawn(process.execPath, [main], { env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/${name} still running after ${EXIT_WAIT_MS} ms; stderr so far:\n${stderr}`));
    }, EXIT_WAIT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(EXAMPLES)('examples/%s started without a Redis', (name) => {
  it.each(['node-redis', 'ioredis'])('exits 1 with one line saying to set REDIS_URL (REDIS_CLIENT=%s)', async (client) => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const { code, stdout, stderr } = await run(name, { REDIS_URL: url, REDIS_CLIENT: client, SESSION_SECRET: 'a session secret of at least 32 characters' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([expect.stringMatching(new RegExp(`^examples/${name}: no Redis at ${url} \\(.*ECONNREFUSED.*\\): start one there, or point the example at yours with REDIS_URL=redis://host:port$`)), '']);
  });
});

describe('examples/fastify with a short SESSION_SECRET', () => {
  it('exits 1 with one line saying the secret needs 32 characters (before connecting anywhere)', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const { code, stdout, stderr } = await run('fastify', { REDIS_URL: url, SESSION_SECRET: 'change-me' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "examples/fastify: SESSION_SECRET must be at least 32 characters (@fastify/session's minimum), got 9: e.g. SESSION_SECRET=$(openssl rand -hex 32)\n",
    );
  });
});
