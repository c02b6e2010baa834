// Synthetic team traces from a seed: office hours in each member's own time zone with a lunch dip, deadline
// rushes (longer days, weekend work), a night owl, long SSH jobs, quiet weekends and public holidays.
// Every member draws from their own seeded stream, so the same seed always gives the same trace.
import type { SessionKind } from '../autoscale/session-metric.js';
import { seededRandom, type SeededRandom } from './seeded-random.js';
import { traceOf, type Trace, type TraceSession } from './trace.js';
import { addDays, isoDate, localParts, zonedEpoch } from './zoned-time.js';

export type MemberProfile = 'office' | 'night-owl' | 'ssh-jobs';

export interface TeamMember {
  name: string;
  timeZone: string;
  profile: MemberProfile;
}

export interface TeamSpec {
  members: TeamMember[];
  /** First day of the trace, YYYY-MM-DD, local to `periodTimeZone`. */
  startDate: string;
  days: number;
  /** The period starts and ends at midnight in this zone. */
  periodTimeZone: string;
  /** Public holidays: nobody in the listed zones works that day (all zones when omitted). */
  holidays?: { date: string; timeZones?: string[] }[];
  /** Deadline dates (YYYY-MM-DD): the deadline day and the 4 days before it are a rush, weekends included. */
  deadlines?: string[];
}

type CalendarDate = { year: number; month: number; day: number };
const MINUTE = 60_000;
const RUSH_DAYS_BEFORE = 4;

export function generateTeamTrace(spec: TeamSpec, seed: number): Trace {
  const first = parseDate(spec.startDate);
  const period = {
    start: zonedEpoch(first, 0, spec.periodTimeZone),
    end: zonedEpoch(addDays(first, spec.days), 0, spec.periodTimeZone),
  };
  const root = seededRandom(seed);
  const sessions: TraceSession[] = [];
  for (const member of spec.members) {
    const random = root.fork(member.name);
    // One day either side, so a night owl's session from the evening before still shows up at the start.
    for (let i = -1; i <= spec.days; i++) {
      const date = addDays(first, i);
      sessions.push(...memberDay(member, date, dayContext(spec, member, date), random));
    }
  }
  const clipped = sessions
    .filter((s) => s.end > period.start && s.start < period.end)
    .map((s) => ({ ...s, start: Math.max(s.start, period.start), end: Math.min(s.end, period.end) }))
    .filter((s) => s.end - s.start >= MINUTE);
  return { ...traceOf(clipped, period), timeZones: [...new Set(spec.members.map((m) => m.timeZone))] };
}

interface DayContext {
  weekend: boolean;
  holiday: boolean;
  rush: boolean;
}

function dayContext(spec: TeamSpec, member: TeamMember, date: CalendarDate): DayContext {
  const weekday = localParts(zonedEpoch(date, 12 * 60, member.timeZone), member.timeZone).weekday;
  const day = isoDate(date);
  const holiday = (spec.holidays ?? []).some((h) => h.date === day && (!h.timeZones || h.timeZones.includes(member.timeZone)));
  const rush = (spec.deadlines ?? []).some((d) => {
    const daysBefore = Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
    return daysBefore >= 0 && daysBefore <= RUSH_DAYS_BEFORE;
  });
  return { weekend: weekday === 0 || weekday === 6, holiday, rush };
}

function memberDay(member: TeamMember, date: CalendarDate, day: DayContext, random: SeededRandom): TraceSession[] {
  const at = (minuteOfDay: number): number => zonedEpoch(date, Math.round(minuteOfDay), member.timeZone);
  const session = (kind: SessionKind, fromMin: number, toMin: number): TraceSession => ({
    user: member.name,
    kind,
    start: at(fromMin),
    end: at(Math.max(toMin, fromMin + 5)),
  });
  if (day.holiday) return [];
  if (member.profile === 'night-owl') return nightOwlDay(day, random, session);
  if (day.weekend) {
    // Weekend work: rare, unless a deadline is close.
    if (!random.chance(day.rush ? 0.55 : 0.03)) return [];
    const from = random.normal(13 * 60, 90);
    return [session('jupyter', from, from + random.between(60, 240))];
  }
  if (random.chance(day.rush ? 0.02 : 0.08)) return []; // away: leave, sick, offsite
  const out = officeDay(day, random, session);
  if (member.profile === 'ssh-jobs' && random.chance(0.5)) {
    // A long training or data job over SSH, kept open until it finishes, often overnight.
    const from = random.normal(10.5 * 60, 45);
    out.push(session('ssh', from, from + random.between(6 * 60, 30 * 60)));
  }
  return out;
}

type SessionOf = (kind: SessionKind, fromMin: number, toMin: number) => TraceSession;

function officeDay(day: DayContext, random: SeededRandom, session: SessionOf): TraceSession[] {
  const arrive = clamp(random.normal(day.rush ? 8.5 * 60 : 9 * 60, 35), 7.5 * 60, 11 * 60);
  const leave = clamp(random.normal(day.rush ? 21 * 60 : 17.5 * 60, day.rush ? 60 : 40), arrive + 4 * 60, 23.5 * 60);
  const kind: SessionKind = random.chance(0.2) ? 'ssh' : 'jupyter';
  const out: TraceSession[] = [];
  if (random.chance(0.75)) {
    // Lunch dip: the session is closed over lunch and a new one opened after it.
    const lunch = clamp(random.normal(12.25 * 60, 20), arrive + 60, leave - 90);
    const back = lunch + random.between(30, 75);
    out.push(session(kind, arrive, lunch), session(random.chance(0.2) ? 'ssh' : 'jupyter', back, leave));
  } else {
    out.push(session(kind, arrive, leave));
  }
  if (random.chance(day.rush ? 0.3 : 0.08)) {
    const from = random.normal(21 * 60, 30);
    if (from > leave + 30) out.push(session('jupyter', from, from + random.between(20, 60)));
  }
  return out;
}

function nightOwlDay(day: DayContext, random: SeededRandom, session: SessionOf): TraceSession[] {
  if (day.weekend && !random.chance(day.rush ? 0.7 : 0.25)) return [];
  if (!day.weekend && random.chance(0.1)) return [];
  const arrive = random.normal(13.5 * 60, 60);
  const leave = random.normal(25 * 60, 60); // about 01:00 the next morning
  if (random.chance(0.6)) {
    const dinner = random.normal(19 * 60, 30);
    return [session('jupyter', arrive, dinner), session('ssh', dinner + random.between(30, 60), leave)];
  }
  return [session('jupyter', arrive, leave)];
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(Math.max(x, min), max);
}

function parseDate(text: string): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new RangeError(`startDate must be YYYY-MM-DD, found "${text}"`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** A team of `size` in the given zones (round-robin): the first is a night owl, every sixth runs long SSH jobs. */
export function teamOf(size: number, timeZones: string[], names: readonly string[] = DEFAULT_NAMES): TeamMember[] {
  return Array.from({ length: size }, (_, i) => ({
    name: names[i] ?? `user${i + 1}`,
    timeZone: timeZones[i % timeZones.length] as string,
    profile: i === 0 ? 'night-owl' : i % 6 === 1 ? 'ssh-jobs' : 'office',
  }));
}

const DEFAULT_NAMES = [
  'ana', 'bo', 'chen', 'dara', 'eli', 'femi', 'gus', 'hana', 'ivo', 'jun',
  'kai', 'lea', 'mo', 'nia', 'omar', 'pia', 'quinn', 'raj', 'sol', 'tess',
];
