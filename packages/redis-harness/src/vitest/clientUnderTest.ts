import { openRedisClient } from '@lapse/repository/clients';
import type { Cluster, Redis } from 'ioredis';
import * as redis5 from 'redis';
import * as redis6 from 'redis6';
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

const openClients: NodeRedisUnderTest[] = [];
// Registered when a test file loads this module (each file has its own module graph): vitest
// ignores an afterAll registered later, from inside a hook or a test.
afterAll(async () => {
  await Promise.allSettled(openClients.splice(0).map((client) => client.close()));
});

/**
 * The client to hand to lapse for a connection the test made with ioredis: that same client
 * when this run is ioredis's; otherwise a connected node-redis client (5.x, or 6.x for
 * `node-redis-6`) to the same server, database, user and TLS settings (opened with lapse's client
 * factory, `@lapse/repository/clients`; one first attempt, then reconnecting), closed after the file.
 * `resp` picks node-redis's protocol (default 2).
 */
export async function clientUnderTest(inspection: Redis | Cluster, options: { resp?: 2 | 3; kind?: TestClientKind } = {}): Promise<ClientUnderTest> {
  const kind = options.kind ?? TEST_CLIENT;
  if (kind === 'ioredis') return inspection;
  const common = {
    library: 'node-redis' as const,
    nodeRedis: kind === 'node-redis-6' ? redis6 : redis5,
    resp: options.resp ?? 2,
    reconnect: (retries: number) => Math.min(50 * retries, 500),
  };
  let opened;
  if (inspection.isCluster) {
    // The nodes the ioredis Cluster was started from (a private field of its typings).
    const startupNodes = (inspection as unknown as { startupNodes: readonly { host?: string; port?: number }[] }).startupNodes;
    const [first, ...seeds] = startupNodes.map(({ host, port }) => ({ host: host ?? '127.0.0.1', port: port ?? 6379 }));
    opened = await openRedisClient({ ...common, cluster: true, address: first ?? { host: '127.0.0.1', port: 6379 }, seeds });
  } else {
    const o = (inspection as Redis).options;
    const address = { host: o.host ?? '127.0.0.1', port: o.port ?? 6379, username: o.username, password: o.password, database: o.db ?? 0, tls: o.tls ?? false };
    opened = await openRedisClient({ ...common, address });
  }
  const client = opened.client as unknown as NodeRedisUnderTest;
  openClients.push(client);
  return client;
}
