// The host's log: one JSON object per line. An `invocation` line per function run (function, invocationId,
// trigger, durationMs, outcome) and a line per context.log / system message with its level. A timer run that
// succeeded and logged nothing above debug did nothing worth reading, so its invocation line is debug-level too.
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

const QUIET_LEVELS = new Set(['trace', 'debug']);

export class HostLog {
  /** Invocations that logged something above debug. */
  private readonly spoke = new Set<string>();

  constructor(private readonly write: (line: string) => void) {}

  invocation(r: InvocationRecord): void {
    const quiet = r.outcome === 'succeeded' && r.trigger === 'timer' && !this.spoke.has(r.invocationId);
    this.spoke.delete(r.invocationId);
    this.emit({
      level: r.outcome !== 'succeeded' ? 'error' : quiet ? 'debug' : 'information',
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
    if (!QUIET_LEVELS.has(r.level)) this.spoke.add(r.invocationId);
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
