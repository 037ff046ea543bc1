// An application that closes its Redis client exits as it did with connect-redis: no timer of
// the store or its repository keeps the process alive, and nothing is sent to (or warned
// about) the closed client. Each case is a real child process, for both client libraries.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
const CHILD = fileURLToPath(new URL('./support/close-client-child.mjs', import.meta.url));
/** How long a child may take (node startup, imports, connect, two commands) before it counts as hanging. */
const EXIT_WITHIN_MS = 15_000;

interface ChildOutcome {
  readonly exited: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(args: string[]): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ exited: false, code: null, stdout, stderr });
    }, EXIT_WITHIN_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolve({ exited: true, code, stdout, stderr }));
    });
  });
}

describe.each(['node-redis', 'ioredis'])('%s: a script that closes its client without store.close()', (kind) => {
  it('exits by itself, with no warning', async () => {
    const outcome = await runChild([kind, redis.handle.url, uniqueNamespace('exit'), '', '0', '']);
    expect(outcome).toEqual({ exited: true, code: 0, stdout: 'closed\n', stderr: '' });
  });

  it('kept alive 3 s after the close, its cleanup schedule (every second) sends nothing and warns about nothing', async () => {
    const outcome = await runChild([kind, redis.handle.url, uniqueNamespace('exit'), '* * * * * *', '3000', '']);
    expect(outcome).toEqual({ exited: true, code: 0, stdout: 'closed\n', stderr: '' });
  });

  it('with the sorted-set index: its deadline sweeper keeps no process alive either', async () => {
    const outcome = await runChild([kind, redis.handle.url, uniqueNamespace('exit'), '', '0', 'sorted-set']);
    expect(outcome).toEqual({ exited: true, code: 0, stdout: 'closed\n', stderr: '' });
  });
});
