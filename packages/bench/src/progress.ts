/**
 * The progress line on stderr. On a terminal it is one line redrawn in place (`\r`); otherwise
 * (a pipe, a CI log, a test) each stage prints one line when it starts and, while it runs, a
 * line at most every {@link PLAIN_INTERVAL_MS}.
 */
const PLAIN_INTERVAL_MS = 10_000;
const TTY_INTERVAL_MS = 100;

export interface ProgressStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export class Progress {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #started = Date.now();
  #stage = '';
  #lastWrite = 0;
  #drawn = false;

  constructor(stream: ProgressStream = process.stderr) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
  }

  /** A new stage: always shown. */
  stage(text: string): void {
    this.#stage = text;
    this.#write(text, true);
  }

  /** Detail of the current stage (throttled). */
  update(detail: string): void {
    this.#write(`${this.#stage}: ${detail}`, false);
  }

  /** Clears the redrawn line (on a terminal) before other output. */
  clear(): void {
    if (this.#tty && this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = false;
  }

  #write(text: string, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastWrite < (this.#tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
    this.#lastWrite = now;
    const elapsed = Math.round((now - this.#started) / 1000);
    const line = `[${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}] ${text}`;
    if (this.#tty) {
      const columns = this.#stream.columns !== undefined && this.#stream.columns > 0 ? this.#stream.columns : 120;
      const width = Math.max(20, columns - 1);
      this.#stream.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      this.#drawn = true;
    } else {
      this.#stream.write(`${line}\n`);
    }
  }
}
