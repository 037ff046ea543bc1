import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TurnResult } from '../measure/cell.js';
import type { RemoteCell, RemotePeer } from './OpsPeer.js';
import { driverRequestLine, parseDriverReply, type DriverReply, type DriverRequest, type DriverVersions } from './spring-protocol.js';

/** The Maven project of the driver (`packages/bench/spring-driver`), from `dist/peers`. */
export const DRIVER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../spring-driver');
const JAR = join(DRIVER_DIR, 'target', 'lapse-spring-driver.jar');

/** The start of the line `pnpm bench` prints (exit 3) when `java` or `mvn` is missing. */
export const MISSING_TOOLS = 'the real Spring (packages/bench/spring-driver) needs java (17+) and mvn on the PATH';

/** `null` when `java` and `mvn` both run; otherwise the line saying which is missing. */
export function missingSpringTools(): string | null {
  const missing = ['java', 'mvn'].filter((tool) => spawnSync(tool, [tool === 'java' ? '-version' : '-v'], { stdio: 'ignore' }).status !== 0);
  return missing.length === 0 ? null : `${MISSING_TOOLS}: ${missing.join(' and ')} not found (or --only without ops runs the other stages)`;
}

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}

function mvn(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('mvn', args, { cwd: DRIVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

/**
 * The driver's jar, built when it is missing or older than its sources: `mvn -o -q package`
 * (offline, from Maven's local repository), and only if that fails `mvn -q package` (the first
 * run on a machine downloads Spring into ~/.m2).
 */
export async function springDriverJar(onStage: (text: string) => void): Promise<string> {
  const sources = Math.max(newestModification(join(DRIVER_DIR, 'pom.xml')), newestModification(join(DRIVER_DIR, 'src')));
  if (existsSync(JAR) && statSync(JAR).mtimeMs >= sources) return JAR;
  onStage('operations: building the Spring driver (mvn -o -q package)');
  let built = await mvn(['-o', '-q', 'package']);
  if (built.code !== 0) {
    onStage('operations: building the Spring driver, downloading into ~/.m2 (mvn -q package)');
    built = await mvn(['-q', 'package']);
  }
  if (built.code !== 0 || !existsSync(JAR)) {
    throw new Error(`mvn package of ${DRIVER_DIR} failed (exit ${String(built.code)}): ${built.output.trim().split('\n').slice(-5).join(' | ')}`);
  }
  return JAR;
}

/** How long the JVM may take to start Spring and answer its first line. */
const START_TIMEOUT_MS = 120_000;

/**
 * The real Spring: Spring Session's `RedisIndexedSessionRepository` on Lettuce in one long-lived
 * JVM (the driver), which measures each turn itself, as `measureCell` does for a Node peer, and
 * answers with one JSON line. The JVM stays up (and warm) across turns.
 */
export class RealSpringPeer implements RemotePeer {
  readonly name = 'spring' as const;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  readonly #stderr: string[] = [];
  #waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  #ended: Error | null = null;
  versions: DriverVersions | null = null;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      if (waiting === null) this.#lines.push(line);
      else waiting.resolve(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.#stderr.push(line);
      if (this.#stderr.length > 40) this.#stderr.shift();
    });
    const end = (why: string): void => {
      this.#ended ??= new Error(`the Spring driver ${why}${this.#stderrTail()}`);
      this.#waiting?.reject(this.#ended);
      this.#waiting = null;
    };
    child.on('error', (error) => end(`could not run: ${error.message}`));
    // A write to a JVM that has just died fails with EPIPE: its exit is what gets reported.
    child.stdin.on('error', () => undefined);
    child.on('exit', (code, signal) => end(`exited (${signal ?? `code ${String(code)}`})`));
  }

  /** Builds the jar if needed, starts the JVM on `url` with its keys under `namespace`, waits for its ready line. */
  static async start(url: string, namespace: string, onStage: (text: string) => void): Promise<RealSpringPeer> {
    const jar = await springDriverJar(onStage);
    onStage('operations: starting the Spring driver (java -jar)');
    const child = spawn('java', ['-jar', jar, `--spring.data.redis.url=${url}`, `--bench.namespace=${namespace}`, '--logging.level.root=WARN'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new RealSpringPeer(child);
    try {
      const reply = await peer.#reply(START_TIMEOUT_MS);
      if (reply.kind !== 'ready') throw new Error(`the Spring driver's first line was not "ready" but ${reply.kind}`);
      peer.versions = reply.versions;
      return peer;
    } catch (error) {
      await peer.close();
      throw error;
    }
  }

  #stderrTail(): string {
    const tail = this.#stderr.filter((line) => line.trim() !== '').slice(-3);
    return tail.length === 0 ? '' : `: ${tail.join(' | ')}`;
  }

  #reply(timeoutMs: number): Promise<DriverReply> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(parseDriverReply(queued));
    if (this.#ended !== null) return Promise.reject(this.#ended);
    return new Promise<string>((resolveLine, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        this.#child.kill('SIGKILL');
        reject(new Error(`the Spring driver did not answer within ${timeoutMs / 1000} s${this.#stderrTail()}`));
      }, timeoutMs);
      this.#waiting = {
        resolve: (line) => {
          clearTimeout(timer);
          resolveLine(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    }).then(parseDriverReply);
  }

  async #ask(request: DriverRequest, timeoutMs: number): Promise<DriverReply> {
    if (this.#ended !== null) throw this.#ended;
    this.#child.stdin.write(driverRequestLine(request));
    const reply = await this.#reply(timeoutMs);
    if (reply.kind === 'error') throw new Error(`the Spring driver failed ${request.cmd === 'cell' ? `${request.op}, concurrency ${request.concurrency}` : request.cmd}: ${reply.error}`);
    return reply;
  }

  async prepare(n: number): Promise<void> {
    await this.#ask({ cmd: 'prepare', sessions: n }, 600_000);
  }

  async measure(request: RemoteCell): Promise<TurnResult> {
    const reply = await this.#ask({ cmd: 'cell', ...request }, 600_000 + request.warmupMs + request.durationMs);
    if (reply.kind !== 'turn') throw new Error(`the Spring driver answered ${reply.kind} to a cell`);
    return reply.turn;
  }

  /** Asks the JVM to quit; kills it (this child only) if it has not exited within 10 s. */
  async close(): Promise<void> {
    if (this.#child.pid === undefined || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => this.#child.once('exit', () => resolveExit()));
    if (this.#ended === null) this.#child.stdin.end(driverRequestLine({ cmd: 'quit' }));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
