// The host's log: one JSON object per line. An `invocation` line per function run (function, invocationId,
// trigger, durationMs, outcome) and a line per context.log / system message with its level.
export interface InvocationRecord {
  functionName: string;
  invocationId: string;
  trigger: string;
  durationMs: number;
  outcome: 'succeeded' | 'failed' | 'timeout';
  error?: Error;
}

export interface FunctionLogRecord {
  level: string;
  category: string;
  functionName: string;
  invocationId: string;
  message: string;
}

export class HostLog {
  constructor(private readonly write: (line: string) => void) {}

  invocation(r: InvocationRecord): void {
    this.emit({
      level: r.outcome === 'succeeded' ? 'information' : 'error',
      kind: 'invocation',
      function: r.functionName,
      invocationId: r.invocationId,
      trigger: r.trigger,
      durationMs: Math.round(r.durationMs * 10) / 10,
      outcome: r.outcome,
      ...(r.error ? { error: r.error.message, stack: r.error.stack } : {}),
    });
  }

  functionLog(r: FunctionLogRecord): void {
    this.emit({
      level: r.level,
      kind: r.category === 'user' ? 'log' : 'system',
      function: r.functionName,
      invocationId: r.invocationId,
      message: r.message,
    });
  }

  host(level: string, message: string, extra: Record<string, unknown> = {}): void {
    this.emit({ level, kind: 'host', message, ...extra });
  }

  private emit(entry: Record<string, unknown>): void {
    this.write(JSON.stringify({ time: new Date().toISOString(), ...entry }));
  }
}
