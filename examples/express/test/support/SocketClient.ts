import WebSocket from 'ws';

/** How a socket was closed, and when (epoch ms, at the client). */
export interface SocketClosed {
  readonly code: number;
  readonly reason: string;
  readonly at: number;
}

/** A real `ws` WebSocket client that records what arrives and lets a test wait for it with a timeout. */
export class SocketClient {
  readonly messages: unknown[] = [];
  readonly #socket: WebSocket;
  readonly #closed: Promise<SocketClosed>;
  #waiters = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      for (const check of [...this.#waiters]) check();
    });
    this.#closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })));
  }

  /** Connects with a `Cookie` header; resolves once open, rejects with the HTTP status when refused. */
  static connect(url: string, cookie: string): Promise<SocketClient> {
    const socket = new WebSocket(url, { headers: cookie === '' ? {} : { cookie } });
    return new Promise((resolve, reject) => {
      const client = new SocketClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        socket.terminate();
        reject(new Error(`HTTP ${String(res.statusCode)}`));
      });
      socket.once('error', reject);
    });
  }

  /** Whether the socket is open. */
  get open(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  send(text: string): void {
    this.#socket.send(text);
  }

  /** Waits up to `timeoutMs` for the `count`-th message. */
  message(count: number, timeoutMs = 2000): Promise<unknown> {
    return this.#until(() => this.messages.length >= count, `message ${count}`, timeoutMs).then(() => this.messages[count - 1]);
  }

  /** Waits up to `timeoutMs` for the socket to be closed. */
  closed(timeoutMs: number): Promise<SocketClosed> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.#closed, timeout]).finally(() => clearTimeout(timer));
  }

  /** Closes the socket (at the end of a test). */
  terminate(): void {
    this.#socket.terminate();
  }

  #until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }
}
