import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRedisExecutable } from './find-executable.js';
import { findFreePort } from './free-port.js';
import { registerForCleanup, unregisterForCleanup } from './process-registry.js';
import type { EmergencyStoppable } from './process-registry.js';
import { parseInfo, sendRedisCommand } from './resp-command.js';
import { StartError } from './start-error.js';
import { NotYet, sleep, waitUntil } from './wait-until.js';

/** Loopback address every spawned server binds to. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Options of {@link RedisServerProcess.start}. */
export interface RedisServerProcessOptions {
  /** Extra redis-server arguments, appended after the harness defaults (so they override them). */
  args?: readonly string[];
  /** Fixed port. Default: a free port from `findFreePort`, and another one if the first is taken meanwhile. */
  port?: number;
  /** Also require `port + 10000` (the cluster bus port) to be free when choosing a port. */
  clusterBusPort?: boolean;
  /** How long to wait for the server to answer PING, in milliseconds (default 10000). */
  startTimeoutMs?: number;
  /** Prefix of the temporary data directory's name (default `lapse-redis-`). */
  dirPrefix?: string;
}

/** How long {@link RedisServerProcess.stop} waits after SIGTERM before sending SIGKILL. */
export const STOP_GRACE_MS = 3000;

const MAX_PORT_ATTEMPTS = 5;

/**
 * One `redis-server` process spawned from `PATH` on a loopback port, with its own temporary data directory
 * (`--dir`) and log file (`redis.log` there, from stdout/stderr). Used by `startRedis` (source 'binary') and by
 * `startRedisCluster` (one per node). The process is killed if the test process exits without stopping it.
 */
export class RedisServerProcess implements EmergencyStoppable {
  /** Host the server listens on (always {@link LOOPBACK_HOST}). */
  readonly host = LOOPBACK_HOST;
  /** Temporary data directory (`--dir`); removed by {@link RedisServerProcess.stop}. */
  readonly dir: string;
  /** File that receives the server's stdout and stderr (its log), appended to across restarts. */
  readonly logFile: string;
  private child: ChildProcess | undefined;
  /** Size of the log file when the current process was spawned (its own output starts there). */
  private logOffset = 0;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
  private exited: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly binary: string,
    private readonly portValue: number,
    private readonly extraArgs: readonly string[],
    dir: string,
  ) {
    this.dir = dir;
    this.logFile = join(dir, 'redis.log');
  }

  /**
   * Spawns `redis-server --port P --bind 127.0.0.1 --save "" --appendonly no --dir <tmp> --daemonize no ...args`
   * and resolves once it answers PING (and `INFO` shows it is this process). Rejects with the server's log if it
   * exits or does not answer within `startTimeoutMs`, and with install instructions if there is no binary.
   */
  static async start(options: RedisServerProcessOptions = {}): Promise<RedisServerProcess> {
    const binary = requireRedisExecutable('redis-server');
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    for (let attempt = 1; ; attempt++) {
      const dir = mkdtempSync(join(tmpdir(), options.dirPrefix ?? 'lapse-redis-'));
      const port = options.port ?? (await findFreePort({ withClusterBusPort: options.clusterBusPort ?? false }));
      const server = new RedisServerProcess(binary, port, options.args ?? [], dir);
      registerForCleanup(server);
      try {
        await server.spawnAndWait(timeoutMs);
        return server;
      } catch (err) {
        await server.kill('SIGKILL');
        unregisterForCleanup(server);
        await rm(dir, { recursive: true, force: true });
        if (err instanceof StartError && err.addressInUse && options.port === undefined && attempt < MAX_PORT_ATTEMPTS) {
          continue; // another process took the port between the probe and the bind; try another one
        }
        throw err;
      }
    }
  }

  /** TCP port of the server (the same across restarts). */
  get port(): number {
    return this.portValue;
  }

  /** PID of the current process, or `undefined` before the first spawn. Changes on restart. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the current process is still running. */
  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** Full redis-server argument list (harness defaults followed by the caller's arguments). */
  get argv(): string[] {
    return [
      '--port', String(this.portValue),
      '--bind', LOOPBACK_HOST,
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.dir,
      '--daemonize', 'no',
      ...this.extraArgs,
    ];
  }

  /** Last `maxBytes` of the server's log file ('' if there is none). */
  readLogTail(maxBytes = 4000): string {
    try {
      const text = readFileSync(this.logFile, 'utf8');
      return text.length > maxBytes ? `…${text.slice(-maxBytes)}` : text;
    } catch {
      return '';
    }
  }

  /**
   * Stops the current process without removing its data directory: `signal` (default SIGTERM, which makes Redis
   * flush its AOF and exit), then SIGKILL if it is still running after `graceMs`. Resolves once it has exited.
   */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = STOP_GRACE_MS): Promise<void> {
    const child = this.child;
    if (!child || this.exitInfo) return;
    // The child is unref'd; keep the event loop alive until it has exited, or Node could quit while we wait.
    child.ref();
    child.kill(signal);
    if (signal !== 'SIGKILL') {
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      // The grace timer is cleared at once when the process exits, so it keeps nothing alive.
      const exitedInTime = await Promise.race([this.exited.then(() => true), graceOver]);
      clearTimeout(timer);
      if (exitedInTime) return;
      child.kill('SIGKILL');
    }
    await this.exited;
  }

  /**
   * Stops the process with SIGTERM, waits `downtimeMs` (default 0), then starts it again on the same port with the
   * same arguments and data directory, and resolves once it answers PING. With `wipeData` every file of the data
   * directory but the log (RDB, AOF) is removed while it is down, so it comes back empty. Rejects after {@link stop}.
   */
  restart(options: { downtimeMs?: number; signal?: NodeJS.Signals; startTimeoutMs?: number; wipeData?: boolean } = {}): Promise<void> {
    return this.serialize(async () => {
      this.assertNotStopped('restart');
      await this.kill(options.signal ?? 'SIGTERM');
      if (options.wipeData) {
        const files = await readdir(this.dir);
        await Promise.all(files.filter((file) => join(this.dir, file) !== this.logFile).map((file) => rm(join(this.dir, file), { recursive: true, force: true })));
      }
      if (options.downtimeMs) await sleep(options.downtimeMs);
      await this.spawnAndWait(options.startTimeoutMs ?? 10_000);
    });
  }

  /**
   * Starts the process again on the same port and directory if it is not running (e.g. after {@link kill}), and
   * resolves once it answers PING. Rejects after {@link stop}.
   */
  resume(options: { startTimeoutMs?: number } = {}): Promise<void> {
    return this.serialize(async () => {
      this.assertNotStopped('resume');
      if (this.running) return;
      await this.spawnAndWait(options.startTimeoutMs ?? 10_000);
    });
  }

  /**
   * Stops the process (`signal`, default SIGTERM; SIGKILL if still running after 3 s) and removes its data
   * directory. Idempotent: later calls return the first call's promise.
   */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopping ??= this.serialize(async () => {
      await this.kill(signal);
      await rm(this.dir, { recursive: true, force: true });
      unregisterForCleanup(this);
    });
    return this.stopping;
  }

  /** Synchronous emergency stop used on process exit: SIGKILL and remove the data directory. */
  killSync(): void {
    if (this.running) this.child?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private assertNotStopped(operation: string): void {
    if (this.stopping) throw new Error(`Cannot ${operation} redis-server on port ${this.portValue}: it was stopped`);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private spawnOnce(): void {
    const out = openSync(this.logFile, 'a');
    this.logOffset = fstatSync(out).size;
    let child: ChildProcess;
    try {
      child = spawn(this.binary, this.argv, { cwd: this.dir, stdio: ['ignore', out, out] });
    } finally {
      closeSync(out);
    }
    this.child = child;
    this.exitInfo = undefined;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.child === child) this.exitInfo ??= { code, signal };
        resolve();
      });
      child.once('error', (error) => {
        if (this.child === child) this.exitInfo ??= { code: null, signal: null, error };
        resolve();
      });
    });
    // Do not keep the test process alive just because a server is running; the exit handler kills it.
    child.unref();
  }

  private describe(): string {
    return `redis-server on ${this.host}:${this.portValue} (pid ${this.pid ?? '?'}, dir ${this.dir})`;
  }

  private failure(reason: string): StartError {
    const log = this.readLogTail();
    let ownLog = '';
    try {
      ownLog = readFileSync(this.logFile).subarray(this.logOffset).toString('utf8');
    } catch {
      // no log
    }
    const addressInUse = /Address already in use/i.test(ownLog);
    return new StartError(
      `${this.describe()} ${reason}.` +
        (addressInUse ? ` Port ${this.portValue} (or its cluster bus port) is already in use.` : '') +
        `\nCommand: ${this.binary} ${this.argv.map((a) => (a === '' ? '""' : a)).join(' ')}` +
        `\nLog (${this.logFile}):\n${log || '(empty)'}`,
      addressInUse,
    );
  }

  private async spawnAndWait(timeoutMs: number): Promise<void> {
    this.spawnOnce();
    const pid = String(this.pid);
    try {
      await waitUntil(
        async () => {
          const exit = this.exitInfo;
          if (exit) {
            const how = exit.error
              ? `failed to spawn (${exit.error.message})`
              : `exited (code ${exit.code}, signal ${exit.signal}) before answering PING`;
            throw this.failure(how);
          }
          let reply;
          try {
            reply = await sendRedisCommand(this.host, this.portValue, ['PING'], { timeoutMs: 1000 });
          } catch (err) {
            throw new NotYet((err as Error).message);
          }
          if (reply !== 'PONG') throw new NotYet(`PING replied ${JSON.stringify(reply)}`);
          const info = parseInfo(String(await sendRedisCommand(this.host, this.portValue, ['INFO', 'server'])));
          if (info.get('process_id') !== pid) {
            throw new NotYet(`port answered by another process (pid ${info.get('process_id')})`);
          }
          return true;
        },
        { timeoutMs, what: `${this.describe()} to answer PING` },
      );
    } catch (err) {
      if (err instanceof StartError) throw err;
      await this.kill('SIGKILL');
      throw this.failure(`did not become ready: ${(err as Error).message}`);
    }
  }
}
