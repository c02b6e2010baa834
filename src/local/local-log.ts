// What `npm start` prints while it runs: the host's log lines (JSON) and the app's console output, filtered by level
// and written either as one readable line per event (a terminal) or as one JSON object per line (a pipe, a file,
// `--log-format json`). Times are real (wall clock); an `at` inside an app message is the app's clock, which the
// local stack runs 60× faster, so it is shown as `appTime`.

/** Levels from quietest to loudest; the host's and the Functions runtime's names map onto them. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'pretty' | 'json';

const RANK: Record<string, number> = { trace: 0, debug: 0, information: 1, info: 1, warning: 2, warn: 2, error: 3, critical: 3 };
const SHORT: Record<number, string> = { 0: 'DEBUG', 1: 'INFO ', 2: 'WARN ', 3: 'ERROR' };
const COLOR: Record<number, string> = { 0: '\x1b[90m', 1: '\x1b[32m', 2: '\x1b[33m', 3: '\x1b[31m' };

export interface LocalLogOptions {
  /** Lines below this level are dropped. */
  level: LogLevel;
  format: LogFormat;
  /** ANSI colours for the level in the pretty format. */
  color: boolean;
  write(line: string): void;
  /** Wall clock for console lines; default `new Date()`. */
  now?: () => Date;
}

type Entry = Record<string, unknown> & { time?: string; level?: string; kind?: string; message?: unknown };

export class LocalLog {
  private readonly threshold: number;

  constructor(private readonly o: LocalLogOptions) {
    this.threshold = RANK[o.level] ?? 1;
  }

  /** One line of the local Functions host's log (a JSON object; anything else is passed on as an info message). */
  hostLine(line: string): void {
    const entry = parseObject(line) ?? { level: 'information', kind: 'host', message: line };
    this.emit({ time: (this.o.now ?? (() => new Date()))().toISOString(), ...entry });
  }

  /** A console.log/info/warn/error/debug call of the app or the stack. A JSON object message keeps its fields. */
  console(level: LogLevel, text: string): void {
    const fields = parseObject(text);
    this.emit({ time: (this.o.now ?? (() => new Date()))().toISOString(), level, kind: 'app', ...(fields ?? { message: text }) });
  }

  private emit(entry: Entry): void {
    const rank = RANK[String(entry.level)] ?? 1;
    if (rank < this.threshold) return;
    this.o.write(this.o.format === 'json' ? JSON.stringify(entry) : this.pretty(entry, rank));
  }

  private pretty(e: Entry, rank: number): string {
    const time = String(e.time ?? '').slice(11, 23);
    const level = this.o.color ? `${COLOR[rank]}${SHORT[rank]}\x1b[0m` : SHORT[rank];
    const source = String(e.function ?? (e.kind === 'host' ? 'host' : 'app')).padEnd(10);
    return `${time} ${level} ${source} ${describe(e)}`;
  }
}

/** The readable text of one entry: an invocation as "timer run succeeded in 12 ms", a message as its fields. */
function describe(e: Entry): string {
  if (e.kind === 'invocation') {
    const failed = e.error ? `: ${String(e.error)}` : '';
    return `${String(e.trigger)} run ${String(e.outcome)} in ${String(e.durationMs)} ms${failed}`;
  }
  const rest = Object.fromEntries(
    Object.entries(e).filter(([k]) => !['time', 'level', 'kind', 'function', 'invocationId', 'message', 'files', 'functions', 'stack'].includes(k)),
  );
  const message = typeof e.message === 'string' ? (parseObject(e.message) ?? e.message) : e.message;
  const text = typeof message === 'object' && message !== null ? fieldsText(message as Record<string, unknown>) : message === undefined ? '' : String(message);
  const extra = fieldsText(rest);
  return [text, extra].filter(Boolean).join(' ');
}

/** `event key=value …`, the event first, empty lists left out, `at` shown as the app's clock. */
function fieldsText(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof fields.event === 'string') parts.push(fields.event);
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'event' || v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    const key = k === 'at' ? 'appTime' : k;
    const value = typeof v === 'string' ? (/[\s"]/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v);
    parts.push(`${key}=${value}`);
  }
  return parts.join(' ');
}

function parseObject(text: string): Entry | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Entry) : undefined;
  } catch {
    return undefined;
  }
}
