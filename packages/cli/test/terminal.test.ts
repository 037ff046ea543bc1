// On a real terminal (a pseudo-terminal from util-linux `script`), lapse draws colours and a dim
// progress line; with NO_COLOR it writes no escape code at all.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, withClient } from './support/lapse.js';
import { useRedis } from './support/redis.js';

const redis = useRedis({ fresh: true, args: ['--notify-keyspace-events', 'Egx'] });

/** Runs `lapse <args>` on a pseudo-terminal; resolves with everything the terminal got (stdout and stderr). */
function onTerminal(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const command = [process.execPath, BIN, ...withClient(args)].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm', ...env };
  for (const name of Object.keys(childEnv)) if (childEnv[name] === undefined) delete childEnv[name];
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', command, '/dev/null'], { env: childEnv, timeout: 20_000 }, (error, stdout) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve(stdout);
    });
  });
}

describe('lapse on a terminal', () => {
  it('paints and draws the dim progress line there (so the terminal really is one)', async () => {
    const screen = await onTerminal(['doctor', '--redis', redis.handle.url], {});
    expect(screen).toContain('\x1b[2m'); // the dim progress line
    expect(screen).toContain('\x1b[32m'); // green "ok"
    expect(screen).toMatch(/0 problems, 0 warnings/);
  });

  it('writes no escape code with NO_COLOR, the progress line included', async () => {
    const screen = await onTerminal(['doctor', '--redis', redis.handle.url], { NO_COLOR: '1' });
    expect(screen).toMatch(/ok {4}server {2}Redis/);
    expect(screen).toMatch(/0 problems, 0 warnings/);
    expect(screen).not.toContain('\x1b');
  });
});
