/** A writable text stream, as much of one as {@link Output} needs. */
export interface TextStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

/** Styles {@link Output.paint} knows. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan';

const ANSI: Readonly<Record<Style, readonly [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};

/** Whether colours may be written to `stream`: a terminal, and neither `NO_COLOR` nor `TERM=dumb`. */
function colorsAllowed(stream: TextStream, env: NodeJS.ProcessEnv): boolean {
  if (stream.isTTY !== true) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return env['TERM'] !== 'dumb';
}

/**
 * Where a command writes. Results go to stdout, diagnostics to stderr. Colours appear only
 * when the stream is a terminal (and `NO_COLOR` is unset); the transient status line
 * ({@link Output.status}) only when stderr is a terminal and `NO_COLOR` is unset, as it is drawn
 * with escape codes too. Otherwise the output is plain text
 * that stays the same from run to run, for scripts.
 */
export class Output {
  readonly #stdout: TextStream;
  readonly #stderr: TextStream;
  /** Whether stdout gets colours. */
  readonly color: boolean;
  /** Whether stderr gets colours. */
  readonly errorColor: boolean;
  /** Whether a status line (progress) may be drawn on stderr: a terminal, without `NO_COLOR` or `TERM=dumb`. */
  readonly interactive: boolean;
  #statusShown = false;

  constructor(stdout: TextStream = process.stdout, stderr: TextStream = process.stderr, env: NodeJS.ProcessEnv = process.env) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.color = colorsAllowed(stdout, env);
    this.errorColor = colorsAllowed(stderr, env);
    // The status line is drawn with escape codes (dim text, erase line): none under NO_COLOR either.
    this.interactive = colorsAllowed(stderr, env);
  }

  /** Writes one line of results to stdout. */
  line(text = ''): void {
    this.clearStatus();
    this.#stdout.write(`${text}\n`);
  }

  /** Writes one diagnostic line to stderr. */
  note(text: string): void {
    this.clearStatus();
    this.#stderr.write(`${text}\n`);
  }

  /** `text` in `style` when stdout gets colours, else `text` unchanged. */
  paint(style: Style, text: string): string {
    return this.color ? wrap(style, text) : text;
  }

  /** `text` in `style` when stderr gets colours, else `text` unchanged. */
  paintError(style: Style, text: string): string {
    return this.errorColor ? wrap(style, text) : text;
  }

  /** Shows (replaces) a one-line progress message on a terminal; does nothing otherwise. */
  status(text: string): void {
    if (!this.interactive) return;
    this.#stderr.write(`\r\x1b[2K${wrap('dim', text)}`);
    this.#statusShown = true;
  }

  /** Removes the progress message, if one is shown. */
  clearStatus(): void {
    if (!this.#statusShown) return;
    this.#stderr.write('\r\x1b[2K');
    this.#statusShown = false;
  }
}

function wrap(style: Style, text: string): string {
  const [open, close] = ANSI[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}
