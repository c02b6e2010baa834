// Reads and writes the trace text formats. CSV: header `user,kind,start,end`, one session a line, `#` comments,
// optional `# period: START/END` and `# timeZones: ZONE ZONE…`. JSONL: one `{"user","kind","start","end"}` object
// a line, optional `{"period":"START/END"}` and `{"timeZones":[…]}` lines. Times are ISO-8601 with an offset (Z or ±hh:mm): a time without one is
// ambiguous across time zones and is rejected.
import { SESSION_METRIC, type SessionKind } from '../autoscale/session-metric.js';
import { SimulatorError, type TraceProblem } from './errors.js';
import { isTimeZone } from '../autoscale/schedule.js';
import { traceOf, type Trace, type TraceSession } from './trace.js';

export type TraceFormat = 'csv' | 'jsonl';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PROBLEMS = 20;

export function formatFromFileName(fileName: string): TraceFormat {
  if (/\.jsonl?$/i.test(fileName)) return 'jsonl';
  if (/\.csv$/i.test(fileName)) return 'csv';
  throw new SimulatorError('OPTION_INVALID', `cannot tell the trace format of "${fileName}": name it *.csv or *.jsonl`);
}

/** Parses a trace; throws SimulatorError TRACE_INVALID listing every bad line (up to 20), or TRACE_EMPTY. */
export function parseTrace(text: string, format: TraceFormat): Trace {
  const problems: TraceProblem[] = [];
  const sessions: TraceSession[] = [];
  let period: { start: number; end: number } | undefined;
  let timeZones: string[] | undefined;
  const lines = text.split(/\r?\n/);
  let headerSeen = format === 'jsonl';

  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s*period:\s*(\S+)\s*$/i.exec(line);
      if (m) period = parsePeriod(m[1] as string, lineNo, problems) ?? period;
      const z = /^#\s*timeZones:\s*(.+)$/i.exec(line);
      if (z) timeZones = parseZones((z[1] as string).trim().split(/\s+/), lineNo, problems);
      return;
    }
    if (!headerSeen) {
      const cols = line.split(',').map((c) => c.trim().toLowerCase());
      if (cols.join(',') !== 'user,kind,start,end') {
        problems.push({ line: lineNo, message: `the first line must be the header "user,kind,start,end", found "${line}"` });
      }
      headerSeen = true;
      return;
    }
    const record = format === 'csv' ? csvRecord(line, lineNo, problems) : jsonRecord(line, lineNo, problems);
    if (record === undefined) return;
    if ('period' in record) {
      period = parsePeriod(String(record.period), lineNo, problems) ?? period;
      return;
    }
    if ('timeZones' in record) {
      const zones = record.timeZones;
      if (Array.isArray(zones) && zones.every((z) => typeof z === 'string')) timeZones = parseZones(zones, lineNo, problems);
      else problems.push({ line: lineNo, field: 'timeZones', message: 'must be a list of IANA time zone names' });
      return;
    }
    const session = validSession(record, lineNo, problems);
    if (session) sessions.push(session);
  });

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : '';
    throw new SimulatorError(
      'TRACE_INVALID',
      `the trace has ${problems.length} problem(s):\n${shown.map(describeProblem).join('\n')}${more}`,
      problems,
    );
  }
  if (sessions.length === 0 && !period) {
    throw new SimulatorError('TRACE_EMPTY', 'the trace has no sessions and no "period" line, so there is nothing to replay');
  }
  const trace = traceOf(sessions, period);
  return timeZones ? { ...trace, timeZones } : trace;
}

function parseZones(zones: string[], lineNo: number, problems: TraceProblem[]): string[] | undefined {
  const bad = zones.filter((z) => !isTimeZone(z));
  if (bad.length === 0) return zones;
  problems.push({ line: lineNo, field: 'timeZones', message: `not IANA time zones: ${bad.join(', ')} (e.g. Europe/Berlin)` });
  return undefined;
}

export function describeProblem(p: TraceProblem): string {
  return `line ${p.line}${p.field ? ` (${p.field})` : ''}: ${p.message}`;
}

type RawRecord = Record<string, unknown>;

function csvRecord(line: string, lineNo: number, problems: TraceProblem[]): RawRecord | undefined {
  const cols = line.split(',').map((c) => c.trim());
  if (cols.length !== 4) {
    problems.push({ line: lineNo, message: `expected 4 comma-separated values (user,kind,start,end), found ${cols.length}` });
    return undefined;
  }
  const [user, kind, start, end] = cols;
  return { user, kind, start, end };
}

function jsonRecord(line: string, lineNo: number, problems: TraceProblem[]): RawRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line: lineNo, message: 'expected a JSON object like {"user":"ana","kind":"jupyter","start":"…","end":"…"}' });
      return undefined;
    }
    return value as RawRecord;
  } catch (error) {
    problems.push({ line: lineNo, message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

function validSession(r: RawRecord, lineNo: number, problems: TraceProblem[]): TraceSession | undefined {
  const before = problems.length;
  const user = typeof r.user === 'string' ? r.user.trim() : '';
  if (user === '') problems.push({ line: lineNo, field: 'user', message: 'must be a non-empty name' });
  const kind = r.kind;
  if (typeof kind !== 'string' || !(SESSION_METRIC.kinds as readonly string[]).includes(kind)) {
    problems.push({ line: lineNo, field: 'kind', message: `must be one of ${SESSION_METRIC.kinds.join(', ')}, found ${JSON.stringify(kind)}` });
  }
  const start = parseTime(r.start, 'start', lineNo, problems);
  const end = parseTime(r.end, 'end', lineNo, problems);
  if (start !== undefined && end !== undefined && end <= start) {
    problems.push({ line: lineNo, field: 'end', message: `must be after start (${String(r.start)}), found ${String(r.end)}` });
  }
  if (problems.length > before || start === undefined || end === undefined) return undefined;
  return { user, kind: kind as SessionKind, start, end };
}

function parseTime(value: unknown, field: string, lineNo: number, problems: TraceProblem[]): number | undefined {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    problems.push({
      line: lineNo,
      field,
      message: `must be ISO-8601 with an offset, e.g. 2026-03-02T09:00:00+01:00, found ${JSON.stringify(value)}`,
    });
    return undefined;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    problems.push({ line: lineNo, field, message: `is not a real date-time: ${value}` });
    return undefined;
  }
  return t;
}

function parsePeriod(value: string, lineNo: number, problems: TraceProblem[]): { start: number; end: number } | undefined {
  const parts = value.split('/');
  if (parts.length !== 2) {
    problems.push({ line: lineNo, field: 'period', message: `must be START/END (ISO-8601 with offsets), found "${value}"` });
    return undefined;
  }
  const start = parseTime(parts[0], 'period', lineNo, problems);
  const end = parseTime(parts[1], 'period', lineNo, problems);
  if (start === undefined || end === undefined) return undefined;
  if (end <= start) {
    problems.push({ line: lineNo, field: 'period', message: 'END must be after START' });
    return undefined;
  }
  return { start, end };
}

/** Writes a trace in either format; `offsetOf(user)` gives the user's display offset (default UTC). */
export function formatTrace(
  trace: Trace,
  format: TraceFormat,
  timeText: (epochMs: number, user: string) => string = (t) => new Date(t).toISOString(),
  periodText: (epochMs: number) => string = (t) => new Date(t).toISOString(),
): string {
  const period = `${periodText(trace.period.start)}/${periodText(trace.period.end)}`;
  if (format === 'csv') {
    const rows = trace.sessions.map((s) => `${s.user},${s.kind},${timeText(s.start, s.user)},${timeText(s.end, s.user)}`);
    const zones = trace.timeZones ? [`# timeZones: ${trace.timeZones.join(' ')}`] : [];
    return [`# period: ${period}`, ...zones, 'user,kind,start,end', ...rows, ''].join('\n');
  }
  const rows = trace.sessions.map((s) =>
    JSON.stringify({ user: s.user, kind: s.kind, start: timeText(s.start, s.user), end: timeText(s.end, s.user) }),
  );
  const zones = trace.timeZones ? [JSON.stringify({ timeZones: trace.timeZones })] : [];
  return [JSON.stringify({ period }), ...zones, ...rows, ''].join('\n');
}
