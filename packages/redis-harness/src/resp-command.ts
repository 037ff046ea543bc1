import { createConnection } from 'node:net';

/** A decoded RESP2 reply: simple/bulk string, integer, nil, or array. Error replies are thrown instead. */
export type RespReply = string | number | null | RespReply[];

/** Thrown by {@link sendRedisCommand} when the server answers with a RESP error (`-ERR ...`, `-LOADING ...`). */
export class RedisReplyError extends Error {
  /** @param reply the error text the server sent, without the leading `-` */
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'RedisReplyError';
  }
}

/** Options of {@link sendRedisCommand}. */
export interface SendRedisCommandOptions {
  /** Connect-plus-reply timeout in milliseconds (default 2000). */
  timeoutMs?: number;
}

function encode(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const body = Buffer.from(arg);
    parts.push(Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

type Parsed = { value: RespReply | RedisReplyError; end: number } | undefined;

/** Parses one reply starting at `start`; `undefined` if the buffer does not hold a complete reply yet. */
function parse(buf: Buffer, start: number): Parsed {
  const lineEnd = buf.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[start] ?? 0);
  const line = buf.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RedisReplyError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, pos);
        if (!item) return undefined;
        if (item.value instanceof RedisReplyError) return item;
        items.push(item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
  }
}

/**
 * Sends one command to `host:port` over a fresh TCP connection (RESP2, no client library) and resolves with the
 * decoded reply. Used by the harness for readiness checks (`PING`, `INFO`, `CLUSTER INFO`) before any test
 * client exists. Rejects on connection errors, timeouts, and with {@link RedisReplyError} on error replies.
 */
export function sendRedisCommand(
  host: string,
  port: number,
  args: readonly string[],
  options: SendRedisCommandOptions = {},
): Promise<RespReply> {
  const timeoutMs = options.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const socket = createConnection({ host, port });
    const finish = (err: Error | undefined, value?: RespReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value ?? null);
    };
    const timer = setTimeout(
      () => finish(new Error(`${args[0] ?? 'command'} to ${host}:${port} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      let parsed: Parsed;
      try {
        parsed = parse(buf, 0);
      } catch (err) {
        finish(err as Error);
        return;
      }
      if (!parsed) return;
      if (parsed.value instanceof RedisReplyError) finish(parsed.value);
      else finish(undefined, parsed.value);
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(`connection to ${host}:${port} closed before a reply`)));
  });
}

/**
 * Parses `INFO` / `CLUSTER INFO` text (`field:value` lines) into a map.
 */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) fields.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return fields;
}
