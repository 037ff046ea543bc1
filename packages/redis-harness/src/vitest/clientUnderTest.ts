import type { Cluster, Redis } from 'ioredis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis6';
import { afterAll } from 'vitest';

/**
 * The client library a suite stores sessions through: the suites run once per client (vitest
 * projects in vitest.config.ts set `LAPSE_CLIENT`). Tests keep inspecting Redis with their own
 * ioredis connection; only what lapse is handed changes.
 */
export type TestClientKind = 'ioredis' | 'node-redis' | 'node-redis-6';

/** This run's client library (`LAPSE_CLIENT`, default ioredis). */
export const TEST_CLIENT: TestClientKind = parseClientKind(process.env.LAPSE_CLIENT);

function parseClientKind(value: string | undefined): TestClientKind {
  if (value === undefined || value === '' || value === 'ioredis') return 'ioredis';
  if (value === 'node-redis' || value === 'node-redis-6') return value;
  throw new Error(`LAPSE_CLIENT must be ioredis, node-redis or node-redis-6, got ${JSON.stringify(value)}`);
}

/**
 * A connected node-redis client or cluster of either major version, by the shape lapse accepts
 * (node-redis's own generic types are left out: type-checking their unions took tsc 20 s).
 */
export interface NodeRedisUnderTest {
  readonly isOpen: boolean;
  sendCommand(...args: never[]): unknown;
  duplicate(...args: never[]): unknown;
  connect(...args: never[]): unknown;
  close(): Promise<void>;
}

/** What {@link clientUnderTest} resolves: the ioredis client itself, or a connected node-redis one. */
export type ClientUnderTest = Redis | Cluster | NodeRedisUnderTest;

const opened: NodeRedisUnderTest[] = [];
// Registered when a test file loads this module (each file has its own module graph): vitest
// ignores an afterAll registered later, from inside a hook or a test.
afterAll(async () => {
  await Promise.allSettled(opened.splice(0).map((client) => client.close()));
});

/**
 * The client to hand to lapse for a connection the test made with ioredis: that same client
 * when this run is ioredis's; otherwise a connected node-redis client (5.x, or 6.x for
 * `node-redis-6`) to the same server, database, user and TLS settings, closed after the file.
 * `resp` picks node-redis's protocol (default 2).
 */
export async function clientUnderTest(inspection: Redis | Cluster, options: { resp?: 2 | 3; kind?: TestClientKind } = {}): Promise<ClientUnderTest> {
  const kind = options.kind ?? TEST_CLIENT;
  if (kind === 'ioredis') return inspection;
  const six = kind === 'node-redis-6';
  const RESP = options.resp ?? 2;
  let client: NodeRedisUnderTest;
  if (inspection.isCluster) {
    // The nodes the ioredis Cluster was started from (a private field of its typings).
    const startupNodes = (inspection as unknown as { startupNodes: readonly { host?: string; port?: number }[] }).startupNodes;
    const rootNodes = startupNodes.map(({ host, port }) => ({ socket: { host: host ?? '127.0.0.1', port: port ?? 6379 } }));
    const defaults = { socket: { reconnectStrategy: (retries: number) => Math.min(50 * retries, 500) } };
    client = (six ? createCluster6({ rootNodes, RESP, defaults }) : createCluster5({ rootNodes, RESP, defaults })) as unknown as NodeRedisUnderTest;
  } else {
    const o = (inspection as Redis).options;
    const tls = o.tls === undefined ? {} : { tls: true as const, ...o.tls };
    const socket = { host: o.host ?? '127.0.0.1', port: o.port ?? 6379, ...tls, reconnectStrategy: (retries: number) => Math.min(50 * retries, 500) };
    const auth = { ...(o.username === undefined ? {} : { username: o.username }), ...(o.password === undefined ? {} : { password: o.password }) };
    const options = { socket, database: o.db ?? 0, RESP, ...auth };
    client = (six ? createClient6(options) : createClient5(options)) as unknown as NodeRedisUnderTest;
  }
  (client as unknown as { on(event: 'error', listener: () => void): unknown }).on('error', () => undefined);
  await client.connect();
  opened.push(client);
  return client;
}
