import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchConfig } from '../config.js';
import type { Progress } from '../progress.js';
import { freshRedis } from '../redis.js';
import { LAZY_TOUCH_AFTER_SECONDS, type AppPeer, type ServerMessage } from './app-protocol.js';
import { redisCpuUsec } from './cell.js';
import { rotate } from './ops.js';

export type AppRoute = 'read' | 'write';

export const APP_ROUTES: readonly { readonly name: AppRoute; readonly label: string }[] = [
  { name: 'read', label: 'read route (get + touch)' },
  { name: 'write', label: 'write route (get + set)' },
];

export const APP_PEERS: readonly AppPeer[] = ['connect-redis', 'lapse-store', 'lapse-store-lazy', 'floor'];

export const APP_PEER_LABELS: Readonly<Record<AppPeer, string>> = {
  'connect-redis': 'connect-redis 10 (node-redis 5.9)',
  'lapse-store': 'LapseStore (node-redis 5.9)',
  'lapse-store-lazy': `LapseStore, touchAfter ${LAZY_TOUCH_AFTER_SECONDS} (node-redis 5.9)`,
  floor: 'floor (node-redis 5.9)',
};

export interface AppCell {
  readonly peer: AppPeer;
  readonly route: AppRoute;
  readonly perSecond: number;
  /** Latency in ms (autocannon's percentiles). */
  readonly p50: number;
  readonly p99: number;
  /** CPU µs per request of the server process, and of Redis's main thread. */
  readonly nodeCpuUs: number;
  readonly redisCpuUs: number;
  readonly turnRates: readonly number[];
}

export interface AppResult {
  readonly cells: AppCell[];
  readonly connections: number;
}

interface Server {
  readonly peer: AppPeer;
  readonly child: ChildProcess;
  readonly port: number;
  readonly cookies: string[];
  cpu(): Promise<number>;
}

async function startServer(peer: AppPeer, url: string): Promise<Server> {
  const child = fork(fileURLToPath(new URL('./app-server.js', import.meta.url)), [peer, url], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const waiters: ((micros: number) => void)[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (raw) => {
      const message = raw as ServerMessage;
      if (message.type === 'ready') resolve(message.port);
      else if (message.type === 'cpu') waiters.shift()?.(message.micros);
      else reject(new Error(`the ${peer} app failed: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`the ${peer} app exited (${String(code)}): ${stderr.join('').slice(0, 500)}`)));
  });
  return {
    peer,
    child,
    port,
    cookies: [],
    cpu: () =>
      new Promise<number>((resolve) => {
        waiters.push(resolve);
        child.send({ type: 'cpu' });
      }),
  };
}

/** Logs `n` users in; resolves their session cookies (`connect.sid=…`). */
async function logIn(port: number, n: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST' });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (!response.ok || cookie === undefined) throw new Error(`login failed: HTTP ${response.status}`);
    cookies.push(cookie);
  }
  return cookies;
}

/** One autocannon run: each connection a logged-in user of its own. */
async function cannon(server: Server, route: AppRoute, connections: number, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/${route}`,
    connections,
    duration: seconds,
    setupClient: (client) => client.setHeaders({ cookie: server.cookies[next++ % server.cookies.length] as string }),
  });
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(`${server.peer} /${route}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
  }
  return result;
}

/**
 * express 5 + express-session with each store, each in its own server process on one fresh
 * Redis, driven over loopback by autocannon in this process (`connections` logged-in users,
 * one per connection), peers taking turns route by route, the first of a round rotating.
 */
export async function runExpressApp(config: BenchConfig, progress: Progress): Promise<AppResult> {
  const { connections, warmupSeconds, durationSeconds, rounds } = config.app;
  const redis = await freshRedis();
  const servers: Server[] = [];
  try {
    await redis.admin.config('SET', 'notify-keyspace-events', 'Egx');
    progress.stage('express app: starting the servers, logging users in');
    for (const peer of APP_PEERS) {
      const server = await startServer(peer, redis.handle.url);
      servers.push(server);
      server.cookies.push(...(await logIn(server.port, connections)));
    }
    const cells: AppCell[] = [];
    let step = 0;
    const total = APP_ROUTES.length * rounds * servers.length;
    for (const { name: route, label } of APP_ROUTES) {
      const turns = new Map<Server, Omit<AppCell, 'turnRates'>[]>(servers.map((s) => [s, []]));
      for (let round = 1; round <= rounds; round++) {
        for (const server of rotate(servers, round - 1)) {
          step += 1;
          progress.stage(`express app ${step}/${total}: ${label}, ${APP_PEER_LABELS[server.peer]}${rounds > 1 ? `, turn ${round}/${rounds}` : ''}`);
          await cannon(server, route, connections, warmupSeconds);
          const [cpuBefore, redisBefore] = [await server.cpu(), await redisCpuUsec(redis.admin)];
          const result = await cannon(server, route, connections, durationSeconds);
          const [cpuAfter, redisAfter] = [await server.cpu(), await redisCpuUsec(redis.admin)];
          const requests = result.requests.total;
          turns.get(server)?.push({
            peer: server.peer,
            route,
            perSecond: requests / result.duration,
            p50: result.latency.p50,
            p99: result.latency.p99,
            nodeCpuUs: (cpuAfter - cpuBefore) / requests,
            redisCpuUs: (redisAfter - redisBefore) / requests,
          });
        }
      }
      for (const server of servers) {
        const all = turns.get(server) ?? [];
        const median = all.slice().sort((a, b) => a.perSecond - b.perSecond)[Math.floor(all.length / 2)];
        if (median !== undefined) cells.push({ ...median, turnRates: all.map((t) => t.perSecond) });
      }
    }
    return { cells, connections };
  } finally {
    for (const server of servers) {
      if (server.child.exitCode !== null || server.child.signalCode !== null) continue;
      if (server.child.connected) server.child.send({ type: 'stop' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.child.kill();
          resolve();
        }, 3000);
        server.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await redis.stop();
  }
}
