// A session trace: who was logged in, how, from when to when. Times are epoch milliseconds; the text form
// (CSV or JSONL, see README "simulator") carries ISO-8601 with an explicit offset.
import type { SessionKind } from '../autoscale/session-metric.js';

export interface TraceSession {
  user: string;
  kind: SessionKind;
  /** epoch ms */
  start: number;
  /** epoch ms, > start */
  end: number;
}

export interface Trace {
  /** Sorted by start, then user. */
  sessions: TraceSession[];
  /** The replay window, epoch ms. Explicit in the file (`period`) or the whole days around the sessions. */
  period: { start: number; end: number };
  /** The team's IANA time zones, when the file names them (`timeZones`); the office-hours baseline uses them. */
  timeZones?: string[];
}

const DAY_MS = 86_400_000;

/** Builds a trace; without a period the window is the whole UTC days from the first start to the last end. */
export function traceOf(sessions: TraceSession[], period?: { start: number; end: number }): Trace {
  const sorted = [...sessions].sort((a, b) => a.start - b.start || a.user.localeCompare(b.user));
  if (period) return { sessions: sorted, period };
  if (sorted.length === 0) return { sessions: sorted, period: { start: 0, end: 0 } };
  const first = Math.min(...sorted.map((s) => s.start));
  const last = Math.max(...sorted.map((s) => s.end));
  return {
    sessions: sorted,
    period: { start: Math.floor(first / DAY_MS) * DAY_MS, end: Math.ceil(last / DAY_MS) * DAY_MS },
  };
}

/** Highest number of sessions open at the same instant. */
export function peakConcurrency(sessions: readonly TraceSession[]): number {
  const edges = sessions.flatMap((s) => [
    { t: s.start, d: 1 },
    { t: s.end, d: -1 },
  ]);
  // Ends before starts at the same instant: a user who leaves at 12:00 frees the seat for one arriving at 12:00.
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of edges) {
    open += e.d;
    peak = Math.max(peak, open);
  }
  return peak;
}
