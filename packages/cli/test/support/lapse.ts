// Runs the built `lapse` binary as a child process, as a user or a script would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled binary under test. */
export const BIN = fileURLToPath(new URL('../../dist/bin/lapse.js', import.meta.url));

/** A Redis URL nothing listens on: commands that wrongly fall back to a default fail instead of touching a real server. */
const NOWHERE = 'redis://127.0.0.1:1';

/**
 * The `--client` this run gives every command, from `LAPSE_CLIENT` (as the other suites choose
 * their client): `ioredis`, or `node-redis` for both `node-redis` and `node-redis-6` (the CLI
 * ships node-redis 5); none when unset, so the CLI's default is used.
 */
export const CLI_CLIENT: 'ioredis' | 'node-redis' | undefined = cliClientOf(process.env['LAPSE_CLIENT']);

function cliClientOf(value: string | undefined): 'ioredis' | 'node-redis' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'ioredis') return 'ioredis';
  if (value === 'node-redis' || value === 'node-redis-6') return 'node-redis';
  throw new Error(`LAPSE_CLIENT must be ioredis, node-redis or node-redis-6, got ${JSON.stringify(value)}`);
}

/** `args` with `--client` first (a leading option, so positionals and `--` stay as given): `client`, else this run's. */
export function withClient(args: readonly string[], client: 'ioredis' | 'node-redis' | undefined = CLI_CLIENT): string[] {
  return client === undefined ? [...args] : ['--client', client, ...args];
}

/** What one run printed and how it exited. */
export interface LapseRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment overrides; `undefined` removes a variable. */
export type EnvOverrides = Readonly<Record<string, string | undefined>>;

function childEnv(overrides: EnvOverrides): NodeJS.ProcessEnv {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (pnpm exec tsc -b)`);
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: NOWHERE, NO_COLOR: undefined, FORCE_COLOR: undefined };
  for (const [name, value] of Object.entries(overrides)) env[name] = value;
  for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
  return env;
}

/** Runs `lapse <args>` to completion (killed after `timeoutMs`). */
export function lapse(
  args: readonly string[],
  options: { env?: EnvOverrides; timeoutMs?: number; client?: 'ioredis' | 'node-redis' } = {},
): Promise<LapseRun> {
  const env = childEnv(options.env ?? {});
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...withClient(args, options.client ?? CLI_CLIENT)], { env, timeout: options.timeoutMs ?? 20_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new Error(`lapse ${args.join(' ')} did not finish (${error.message})\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** A `lapse` process that runs on (watch), with its output collected line by line. */
export class LapseProcess {
  readonly child: ChildProcess;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  #waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: EnvOverrides = {}) {
    this.child = spawn(process.execPath, [BIN, ...withClient(args)], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (stream: NodeJS.ReadableStream, lines: string[]): void => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts);
        for (const wake of this.#waiters.splice(0)) wake();
      });
    };
    collect(this.child.stdout as NodeJS.ReadableStream, this.stdout);
    collect(this.child.stderr as NodeJS.ReadableStream, this.stderr);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        resolve(code);
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  /** Resolves with the first line of `stream` matching `pattern`; rejects after `timeoutMs` or if the process exits first. */
  async waitForLine(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this[stream].find((line) => pattern.test(line));
      if (found !== undefined) return found;
      if (this.child.exitCode !== null) throw new Error(`lapse exited (${this.child.exitCode}) before printing ${pattern} on ${stream}\n${this.dump()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${pattern} on ${stream} within ${timeoutMs} ms\n${this.dump()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves with the exit code, or rejects if the process is still running after `timeoutMs`. */
  async exitCode(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`lapse still running after ${timeoutMs} ms\n${this.dump()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process if it is still running (SIGKILL), and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Everything printed so far, for failure messages. */
  dump(): string {
    return `stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`;
  }
}

/** Resolves with `promise`, or rejects with `what` after `timeoutMs`. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `stderr` is exactly one non-empty line. */
export function isOneLine(text: string): boolean {
  return text.trim() !== '' && text.trim().split('\n').length === 1;
}
