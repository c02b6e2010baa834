// How the CLI prints: data on stdout (a table for people, JSON with --json), messages and progress on stderr;
// colour only on a terminal and never with NO_COLOR; the progress line only on a terminal.
export interface OutputOptions {
  json: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

const COLORS: Record<string, number> = { succeeded: 32, running: 36, failed: 31, cancelled: 33, cancelling: 33, queued: 90, dispatching: 90, dispatched: 34 };

export class Output {
  readonly json: boolean;
  readonly isTTY: boolean;
  private readonly color: boolean;
  private readonly out: NodeJS.WriteStream;
  private readonly err: NodeJS.WriteStream;
  private progressShown = false;

  constructor(o: OutputOptions) {
    this.json = o.json;
    this.out = o.stdout ?? process.stdout;
    this.err = o.stderr ?? process.stderr;
    const env = o.env ?? process.env;
    this.isTTY = Boolean(this.err.isTTY);
    this.color = Boolean(this.out.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  }

  /** Data for stdout: `value` as JSON with --json, else the text. */
  data(value: unknown, text: () => string): void {
    this.clearProgress();
    this.out.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
  }

  /** Raw bytes of a log, as they are. */
  raw(text: string): void {
    this.clearProgress();
    this.out.write(text);
  }

  message(text: string): void {
    this.clearProgress();
    this.err.write(`${text}\n`);
  }

  /** A line rewritten in place on a terminal; elsewhere nothing (callers print changes with message()). */
  progress(text: string): void {
    if (!this.isTTY) return;
    const width = (this.err.columns ?? 100) - 1;
    this.err.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.err.write('\r\x1b[2K');
    this.progressShown = false;
  }

  state(state: string): string {
    const code = COLORS[state];
    return this.color && code ? `\x1b[${code}m${state}\x1b[0m` : state;
  }

  /** A plain table: a header row, then one row per item, columns padded to the widest cell. */
  table(columns: string[], rows: string[][]): string {
    // eslint-disable-next-line no-control-regex
    const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
    const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => visible(r[i] ?? ''))));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visible(c)))).join('  ').trimEnd();
    return [line(columns.map((c) => c.toUpperCase())), ...rows.map(line)].join('\n');
  }
}
