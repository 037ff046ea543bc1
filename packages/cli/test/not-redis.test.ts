// --redis pointed at something that is not a Redis: an HTTP server, and a TCP server that accepts
// and never answers. Every command exits 1 with one line on stderr, within the connect timeout.
// Runs with the client of LAPSE_CLIENT (the CLI suites run once per client library).
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { isOneLine, lapse } from './support/lapse.js';

/** Every command that talks to Redis, with the arguments it needs (demo prints its plan first; see below). */
const COMMANDS: readonly (readonly string[])[] = [['ls'], ['show', 'some-id'], ['rm', 'some-id'], ['logout', 'ada'], ['stats'], ['doctor'], ['watch']];

/** A bounded wait for each run: far above the connect timeout, far below "hangs forever". */
const RUN_LIMIT_MS = 20_000;

async function listen(server: Server | HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server | HttpServer): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('--redis at something that is not Redis', () => {
  const http = createHttpServer((_, response) => response.end('hello'));
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    // Accepts, reads, never writes.
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  let httpPort = 0;
  let silentPort = 0;

  beforeAll(async () => {
    httpPort = await listen(http);
    silentPort = await listen(silent);
  });

  afterAll(async () => {
    http.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await Promise.all([close(http), close(silent)]);
  });

  it.each(COMMANDS)('lapse %s at an HTTP server: exit 1, one line saying what answered', async (...args) => {
    const url = `redis://127.0.0.1:${httpPort}`;
    const run = await lapse([...args, '--redis', url], { timeoutMs: RUN_LIMIT_MS });
    expect(run.code).toBe(ExitCode.Problems);
    expect(run.stdout).toBe('');
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr.trim()).toBe(
      `lapse ${args[0]}: cannot connect to Redis at ${url} (not a Redis server: it answered "HTTP/1.1 400 Bad Request"): ` +
        "check the host and port, and pass a Redis's URL with --redis URL (or set REDIS_URL)",
    );
  });

  it.each(COMMANDS)('lapse %s at a server that never answers: exit 1 after LAPSE_CONNECT_TIMEOUT, one line', async (...args) => {
    const url = `redis://127.0.0.1:${silentPort}`;
    const run = await lapse([...args, '--redis', url], { timeoutMs: RUN_LIMIT_MS, env: { LAPSE_CONNECT_TIMEOUT: '1s' } });
    expect(run.code).toBe(ExitCode.Problems);
    expect(run.stdout).toBe('');
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr.trim()).toBe(
      `lapse ${args[0]}: cannot connect to Redis at ${url} (it accepted the connection but gave no answer within 1 s): ` +
        'check that Redis listens there (not another server, nor behind a firewall), or set LAPSE_CONNECT_TIMEOUT to wait longer (e.g. 30s)',
    );
  });

  it('a server that closes the connection without a word is no Redis either (perhaps a TLS port)', async () => {
    const closing = createTcpServer((socket) => socket.destroy());
    const port = await listen(closing);
    try {
      const url = `redis://127.0.0.1:${port}`;
      const run = await lapse(['ls', '--redis', url], { timeoutMs: RUN_LIMIT_MS });
      expect(run.code).toBe(ExitCode.Problems);
      expect(run.stdout).toBe('');
      expect(isOneLine(run.stderr)).toBe(true);
      expect(run.stderr).toContain(`at ${url} (not a Redis server: it closed the connection without answering PING; if it takes TLS, use rediss://)`);
    } finally {
      await close(closing);
    }
  });

  it('waits 5 s by default before giving up on a server that never answers', async () => {
    const url = `redis://127.0.0.1:${silentPort}`;
    const run = await lapse(['ls', '--redis', url], { timeoutMs: RUN_LIMIT_MS });
    expect(run.code).toBe(ExitCode.Problems);
    expect(run.stdout).toBe('');
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr).toContain(`at ${url} (it accepted the connection but gave no answer within 5 s)`);
  });

  it('lapse demo --redis at an HTTP server ends with exit 1 and one line on stderr', async () => {
    const url = `redis://127.0.0.1:${httpPort}`;
    const run = await lapse(['demo', '--redis', url], { timeoutMs: RUN_LIMIT_MS });
    expect(run.code).toBe(ExitCode.Problems);
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr).toContain(`lapse demo: cannot connect to Redis at ${url} (not a Redis server: it answered "HTTP/1.1 400 Bad Request")`);
  });

  it.each([['0'], ['soon'], ['-1s']])('LAPSE_CONNECT_TIMEOUT=%s is a usage error (exit 2)', async (value) => {
    const run = await lapse(['ls', '--redis', `redis://127.0.0.1:${silentPort}`], { timeoutMs: RUN_LIMIT_MS, env: { LAPSE_CONNECT_TIMEOUT: value } });
    expect(run.code).toBe(ExitCode.Usage);
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^lapse ls: LAPSE_CONNECT_TIMEOUT /);
  });
});
