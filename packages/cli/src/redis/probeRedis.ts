import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** What {@link probeRedis} found at an address. */
export type ProbeOutcome =
  /** It answered PING as Redis does (`+PONG`, or an error such as `-NOAUTH`): let the client connect. */
  | { readonly kind: 'redis' }
  /** It answered, but not as Redis: `answer` is the start of its first line, printable. */
  | { readonly kind: 'not-redis'; readonly answer: string }
  /** Nothing within the time (no connection, or a connection and no answer). */
  | { readonly kind: 'silent'; readonly connected: boolean }
  /** The connection failed (refused, unknown host, TLS refused): the client reports that in its own words. */
  | { readonly kind: 'unreachable' };

/** Where {@link probeRedis} knocks. */
export interface ProbeAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/** The most characters of a non-Redis answer a message quotes. */
const ANSWER_LIMIT = 40;

/** The first line of `bytes` (as Latin-1, so any byte shows), control characters as `?`, at most {@link ANSWER_LIMIT} characters with `…` when cut. */
function firstLine(bytes: Buffer): string {
  const line = bytes.toString('latin1').split(/\r?\n/)[0] ?? '';
  const printable = line.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return printable.length > ANSWER_LIMIT ? `${printable.slice(0, ANSWER_LIMIT)}…` : printable;
}

/**
 * Opens one connection to `address`, sends `PING` and waits at most `timeoutMs` for the first
 * byte of an answer: whatever answers anything other than a RESP simple string or error is not
 * a Redis. Neither client library says so (node-redis waits forever on an HTTP server's reply,
 * ioredis reports `Unknown RESP type 72`), nor gives up on a server that accepts and never
 * answers, so the CLI asks first. Never rejects; always closes its socket.
 */
export function probeRedis(address: ProbeAddress, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let connected = false;
    let received = Buffer.alloc(0);
    let socket: Socket;
    let done = false;
    const finish = (outcome: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'silent', connected }), timeoutMs);
    const onConnect = (): void => {
      connected = true;
      socket.write('*1\r\n$4\r\nPING\r\n');
    };
    socket = address.tls
      ? connectTls({ host: address.host, port: address.port, ...(isIP(address.host) === 0 ? { servername: address.host } : {}) }, onConnect)
      : connectTcp({ host: address.host, port: address.port }, onConnect);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const first = received[0];
      if (first === 0x2b || first === 0x2d) finish({ kind: 'redis' });
      // A non-Redis answer: wait for its first line (or a little of it) to quote it.
      else if (received.includes(0x0a) || received.length >= 256) finish({ kind: 'not-redis', answer: firstLine(received) });
    });
    // Closed (or reset) after connecting: whatever it said, or '' for nothing, is not Redis's answer.
    const ended = (): void => finish(connected ? { kind: 'not-redis', answer: firstLine(received) } : { kind: 'unreachable' });
    socket.on('end', ended);
    socket.on('close', ended);
    socket.on('error', ended);
  });
}
