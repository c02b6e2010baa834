// A pool's timeline for the dashboard: sessions (demand) against running seats (capacity) over 24 hours or 7 days,
// with the scale actions marked and their reasons. Pure: built from the session history and the scale-event log.
import { capacitySteps } from './capacity-history.js';
import type { ScaleEvent } from './scale-event.js';
import type { SessionPoint } from './session-history.port.js';

export const TIMELINE_RANGES = { '24h': { hours: 24, intervalMinutes: 5 }, '7d': { hours: 168, intervalMinutes: 60 } } as const;
export type TimelineRange = keyof typeof TIMELINE_RANGES;

export function isTimelineRange(s: string): s is TimelineRange {
  return Object.hasOwn(TIMELINE_RANGES, s);
}

export interface PoolTimeline {
  pool: string;
  range: TimelineRange;
  from: string;
  to: string;
  intervalMinutes: number;
  seatsPerInstance: number;
  /** Sessions per interval (sum of each VM's peak), oldest first. */
  demand: { at: string; sessions: number }[];
  /** Seats of running or starting VMs, as steps: from `at` on. */
  capacity: { at: string; seats: number; activeVms: number }[];
  /** Evaluations that acted or wanted to act (scale-in or -out), oldest first. */
  actions: { at: string; direction: string; outcome: string; reason: string; steps: string[] }[];
}

export function timelineWindow(range: TimelineRange, now: Date): { from: Date; to: Date; intervalMinutes: number } {
  const r = TIMELINE_RANGES[range];
  return { from: new Date(now.getTime() - r.hours * 3_600_000), to: now, intervalMinutes: r.intervalMinutes };
}

export interface TimelineInput {
  pool: string;
  range: TimelineRange;
  now: Date;
  seatsPerInstance: number;
  sessions: readonly SessionPoint[];
  events: readonly ScaleEvent[];
  current?: { activeVms: number; billedVms: number };
}

export function buildTimeline(input: TimelineInput): PoolTimeline {
  const { from, to, intervalMinutes } = timelineWindow(input.range, input.now);
  const steps = capacitySteps(input.events, from, to, input.current);
  return {
    pool: input.pool,
    range: input.range,
    from: from.toISOString(),
    to: to.toISOString(),
    intervalMinutes,
    seatsPerInstance: input.seatsPerInstance,
    demand: input.sessions.filter((p) => p.at >= from && p.at <= to).map((p) => ({ at: p.at.toISOString(), sessions: p.sessions })),
    capacity: steps.map((s) => ({ at: s.at.toISOString(), seats: s.activeVms * input.seatsPerInstance, activeVms: s.activeVms })),
    actions: input.events
      .filter((e) => e.at >= from && e.at <= to && e.direction !== 'none' && e.kind === 'evaluation')
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((e) => ({ at: e.at.toISOString(), direction: e.direction, outcome: e.outcome, reason: e.reason, steps: e.steps ?? [] })),
  };
}
