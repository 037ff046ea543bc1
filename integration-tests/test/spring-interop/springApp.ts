// The Spring Boot application of interop/spring-app, for the interop suite: built with Maven
// when its jar is missing or older than its sources (offline first: Maven's downloads are made
// once per machine, into ~/.m2), started with `java -jar` on a free port against the suite's
// Redis, waited for (bounded), driven over HTTP, and stopped by its PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, registerForCleanup, unregisterForCleanup, waitUntil, type EmergencyStoppable } from '@lapse/redis-harness';

/** The Maven project of the Spring application. */
export const SPRING_APP_DIR = fileURLToPath(new URL('../../../interop/spring-app/', import.meta.url));
const JAR = join(SPRING_APP_DIR, 'target', 'lapse-spring-interop.jar');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestSource(join(path, entry))));
}

function jarIsFresh(): boolean {
  let jarTime = 0;
  try {
    jarTime = statSync(JAR).mtimeMs;
  } catch {
    return false; // not built yet
  }
  return jarTime > Math.max(newestSource(join(SPRING_APP_DIR, 'pom.xml')), newestSource(join(SPRING_APP_DIR, 'src')));
}

/** A lock older than this is a build that was killed: taken over. */
const STALE_LOCK_MS = 15 * 60_000;

/**
 * Builds the jar unless it is newer than pom.xml and src/: `mvn -o -q package` (offline), or once
 * online when ~/.m2 lacks something (the first run on a machine). The suite's files run in
 * parallel: one builds (a lock directory), the others wait for it (bounded).
 */
export async function buildSpringApp(): Promise<string> {
  const lock = join(SPRING_APP_DIR, 'target', '.lapse-build-lock');
  mkdirSync(dirname(lock), { recursive: true });
  while (!jarIsFresh()) {
    try {
      mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else await waitUntil(async () => (existsSync(lock) ? undefined : true), { timeoutMs: STALE_LOCK_MS, intervalMs: 500, what: `the Maven build of ${SPRING_APP_DIR} by another test file` });
      continue;
    }
    try {
      const build = (offline: boolean) =>
        spawnSync('mvn', [...(offline ? ['-o'] : []), '-q', '-B', 'package', '-DskipTests'], { cwd: SPRING_APP_DIR, encoding: 'utf8', timeout: STALE_LOCK_MS });
      let result = build(true);
      if (result.status !== 0) result = build(false); // first run on this machine: Maven downloads into ~/.m2
      if (result.status !== 0) throw new Error(`mvn package failed in ${SPRING_APP_DIR}:\n${result.stdout}\n${result.stderr}`);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return JAR;
}

/** One session event Spring's own `@EventListener` received. */
export interface SpringEvent {
  readonly type: 'SessionCreatedEvent' | 'SessionDeletedEvent' | 'SessionExpiredEvent' | 'SessionDestroyedEvent';
  readonly sessionId: string;
  readonly attributeNames: string[] | null;
}

/** An attribute as Spring reports it: the Java class of the value it holds, and the value. */
export interface SpringAttribute {
  readonly type: string | null;
  readonly value: unknown;
}

/** A session as Spring reports it (GET /session). */
export interface SpringSession {
  readonly id: string;
  readonly creationTime: number;
  readonly lastAccessedTime: number;
  readonly maxInactiveInterval: number;
  readonly principal: string | null;
  readonly attributes: Record<string, SpringAttribute>;
}

/** An attribute for POST /attributes: the Java type Spring stores it as. */
export interface TypedAttribute {
  readonly name: string;
  readonly type: 'string' | 'int' | 'long' | 'double' | 'boolean' | 'list' | 'map' | 'null';
  readonly value: unknown;
}

/** Spring's cookie value for a session id: the id in base64 (its DefaultCookieSerializer). */
export function sessionCookie(id: string): string {
  return `SESSION=${Buffer.from(id).toString('base64')}`;
}

/** A browser of the Spring application: keeps the SESSION cookie it is given. */
export class SpringBrowser {
  constructor(
    private readonly baseUrl: string,
    public cookie: string | undefined = undefined,
  ) {}

  /** The session id the cookie names. */
  get sessionId(): string {
    if (this.cookie === undefined) throw new Error('no session cookie');
    return Buffer.from(this.cookie.slice('SESSION='.length), 'base64').toString();
  }

  async request(method: string, path: string, body?: unknown, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookie !== undefined) headers['cookie'] = this.cookie;
    let payload: string | undefined;
    if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
    const set = response.headers.get('set-cookie');
    const match = set === null ? null : /(?:^|,\s*)SESSION=([^;]*)/.exec(set);
    if (match !== null) this.cookie = match[1] === '' ? undefined : `SESSION=${match[1]}`;
    return response;
  }

  /** Form login (Spring Security); resolves the new session's id. */
  async login(username: string): Promise<string> {
    const response = await this.request('POST', '/login', undefined, { username, password: 'secret' });
    if (response.status !== 200) throw new Error(`login as ${username}: HTTP ${response.status}`);
    return this.sessionId;
  }

  /** GET /session: the session as Spring sees it, or null (HTTP 404: Spring has no session for the cookie). */
  async session(): Promise<SpringSession | null> {
    const response = await this.request('GET', '/session');
    if (response.status === 404) return null;
    if (response.status !== 200) throw new Error(`GET /session: HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as SpringSession;
  }

  async setAttributes(attributes: readonly TypedAttribute[]): Promise<SpringSession> {
    const response = await this.request('POST', '/attributes', attributes);
    if (response.status !== 200) throw new Error(`POST /attributes: HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as SpringSession;
  }

  async setMaxInactiveInterval(seconds: number): Promise<SpringSession> {
    const response = await this.request('POST', `/max-inactive-interval?seconds=${seconds}`);
    if (response.status !== 200) throw new Error(`POST /max-inactive-interval: HTTP ${response.status}`);
    return (await response.json()) as SpringSession;
  }

  /** GET /me's status: 200 when Spring Security finds the user logged in, 401 otherwise. */
  async meStatus(): Promise<number> {
    return (await this.request('GET', '/me')).status;
  }

  async logout(): Promise<void> {
    const response = await this.request('POST', '/logout');
    if (response.status !== 200) throw new Error(`POST /logout: HTTP ${response.status}`);
  }
}

/** A running Spring application. */
export class SpringApp implements EmergencyStoppable {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts the jar against `redisPort`, with extra Spring arguments (`--spring.profiles.active=jdk`), and waits for it (60 s at most). */
  static async start(redisPort: number, args: readonly string[] = []): Promise<SpringApp> {
    const jar = await buildSpringApp();
    const port = await findFreePort();
    const child = spawn('java', ['-Xss512k', '-XX:TieredStopAtLevel=1', '-jar', jar, `--server.port=${port}`, `--spring.data.redis.port=${redisPort}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new SpringApp(child, `http://127.0.0.1:${port}`);
    registerForCleanup(app);
    try {
      await waitUntil(
        async () => {
          if (child.exitCode !== null) throw new Error(`Spring exited with ${child.exitCode}:\n${app.output}`);
          const response = await fetch(`${app.baseUrl}/ready`).catch(() => null);
          return response?.status === 200 ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, what: `Spring on port ${port} to answer GET /ready`, details: () => app.output },
      );
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  /** What Spring printed (its log: WARN and above). */
  get log(): string {
    return this.output;
  }

  browser(cookie?: string): SpringBrowser {
    return new SpringBrowser(this.baseUrl, cookie);
  }

  /** Spring's `findByPrincipalName`: the ids of the user's sessions Spring finds. */
  async principalSessions(name: string): Promise<string[]> {
    const response = await fetch(`${this.baseUrl}/principal-sessions?name=${encodeURIComponent(name)}`);
    if (response.status !== 200) throw new Error(`GET /principal-sessions: HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as string[];
  }

  /** The session events Spring's listener received so far. */
  async events(): Promise<SpringEvent[]> {
    return (await (await fetch(`${this.baseUrl}/events`)).json()) as SpringEvent[];
  }

  /** Waits (bounded) until Spring's listener has an event of `type` for `sessionId`. */
  async nextEvent(type: SpringEvent['type'], sessionId: string, timeoutMs = 10_000): Promise<SpringEvent> {
    return waitUntil(async () => (await this.events()).find((e) => e.type === type && e.sessionId === sessionId), {
      timeoutMs,
      intervalMs: 50,
      what: `Spring's ${type} for ${sessionId}`,
      details: async () => `events: ${JSON.stringify(await this.events())}\n${this.output}`,
    });
  }

  async stop(): Promise<void> {
    unregisterForCleanup(this);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  killSync(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
