import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port that the harness hands out (keeps clear of well-known service ports). */
const MIN_PORT = 12_000;
/** Offset of the Redis Cluster bus port from the client port (Redis default). */
export const CLUSTER_BUS_PORT_OFFSET = 10_000;

/** Ports handed out by this process that may not be bound yet; avoids giving the same port twice. */
const reserved = new Set<number>();

/** Options of {@link findFreePort}. */
export interface FindFreePortOptions {
  /** Interface to probe (default `127.0.0.1`). */
  host?: string;
  /** Also require `port + 10000` (the Redis Cluster bus port) to be free. */
  withClusterBusPort?: boolean;
  /** Maximum number of candidates to probe before giving up (default 200). */
  attempts?: number;
}

/**
 * Resolves `true` if a TCP server can listen on `host:port` right now (the probe is closed again before resolving).
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * First port of the kernel's ephemeral range (Linux `ip_local_port_range`, default 32768). Ports handed out by
 * {@link findFreePort} stay below it, so that outgoing connections (which take ephemeral ports) can never occupy a
 * port that a test server must later be restarted on, or a cluster bus port.
 */
export function ephemeralPortRangeStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > MIN_PORT + 2 * CLUSTER_BUS_PORT_OFFSET) return first;
  } catch {
    // not Linux: fall through to the Linux default
  }
  return 32_768;
}

/**
 * Finds a loopback TCP port that is free now (probed by listening on it), chosen at random below the ephemeral
 * port range and never handed out before by this process. With `withClusterBusPort`, `port + 10000` is free too.
 * There is still a small race with other processes; callers that spawn a server retry on "Address already in use".
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const attempts = options.attempts ?? 200;
  const limit = ephemeralPortRangeStart() - (options.withClusterBusPort ? CLUSTER_BUS_PORT_OFFSET : 0);
  for (let i = 0; i < attempts; i++) {
    const port = MIN_PORT + Math.floor(Math.random() * (limit - MIN_PORT));
    const bus = port + CLUSTER_BUS_PORT_OFFSET;
    if (reserved.has(port) || (options.withClusterBusPort && reserved.has(bus))) continue;
    if (!(await isPortFree(port, host))) continue;
    if (options.withClusterBusPort && !(await isPortFree(bus, host))) continue;
    reserved.add(port);
    if (options.withClusterBusPort) reserved.add(bus);
    return port;
  }
  throw new Error(`findFreePort: no free port found on ${host} after ${attempts} attempts`);
}
