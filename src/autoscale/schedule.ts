// Schedule windows ("keep 3 VMs warm Mon–Fri 08:00–18:00 Europe/Berlin"), judged in the window's own time zone.
// Each occurrence of a window is turned into two instants with Temporal (temporal-polyfill), so DST changes follow
// the tz database and an edge in a repeated or skipped local hour takes effect exactly once.
import { Temporal } from 'temporal-polyfill';
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleWindow {
  /** Days on which the window starts. */
  days: Weekday[];
  /** Local start and end, "HH:MM"; a window with to ≤ from runs past midnight into the next day; to "24:00" ends at midnight. */
  from: string;
  to: string;
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  minInstances: number;
  /** Optional label for reasons and events. */
  name?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the zone is known to this runtime's tz database. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** `to` may be "24:00": the end of the start day (an all-day window is from "00:00" to "24:00"). */
export const END_OF_DAY = '24:00';

interface Occurrence {
  startMs: number;
  endMs: number;
}

const occurrences = new Map<string, Occurrence>();
const MAX_CACHED_OCCURRENCES = 10_000;
const DAY_MS = 86_400_000;

/**
 * The instants a window starts and ends when it starts on the local calendar date `day` (given as that date's UTC
 * midnight). Each edge is resolved once, as an instant, by Temporal's "compatible" rule: a local time that occurs
 * twice (the repeated hour of a fall-back) means its first occurrence, one that does not occur (the skipped hour of
 * a spring-forward) the instant just after the gap. So a window edge in the repeated hour applies once, never twice.
 */
function occurrence(w: ScheduleWindow, dayMs: number): Occurrence {
  const key = `${w.timeZone}|${dayMs}|${w.from}|${w.to}`;
  let o = occurrences.get(key);
  if (o) return o;
  const date = Temporal.PlainDate.from(new Date(dayMs).toISOString().slice(0, 10));
  const at = (d: Temporal.PlainDate, hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number);
    return d.toPlainDateTime({ hour: hour!, minute: minute! }).toZonedDateTime(w.timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  };
  const overnight = w.to === END_OF_DAY || minutesOf(w.to) <= minutesOf(w.from);
  const endDate = overnight ? date.add({ days: 1 }) : date;
  o = { startMs: at(date, w.from), endMs: at(endDate, w.to === END_OF_DAY ? '00:00' : w.to) };
  if (occurrences.size >= MAX_CACHED_OCCURRENCES) occurrences.clear();
  occurrences.set(key, o);
  return o;
}

/**
 * Whether the window is in force at `now`: inside an occurrence that started on a window day. A local date is
 * within a day of the UTC date (offsets are under 15 h) and an occurrence lasts at most a day, so the occurrences
 * starting on the four dates around `now`'s UTC date are all that can hold it (each cached after its first use).
 */
export function windowActive(w: ScheduleWindow, now: Date): boolean {
  const t = now.getTime();
  const utcDay = Math.floor(t / DAY_MS) * DAY_MS;
  for (let dayMs = utcDay - 2 * DAY_MS; dayMs <= utcDay + DAY_MS; dayMs += DAY_MS) {
    if (!w.days.includes(WEEKDAYS[new Date(dayMs).getUTCDay()]!)) continue;
    const o = occurrence(w, dayMs);
    if (t >= o.startMs && t < o.endMs) return true;
  }
  return false;
}

/** The highest schedule floor in force at `now`, and the window that sets it. */
export function scheduleFloor(windows: readonly ScheduleWindow[], now: Date): { floor: number; window?: ScheduleWindow } {
  let best: { floor: number; window?: ScheduleWindow } = { floor: 0 };
  for (const w of windows) {
    if (w.minInstances > best.floor && windowActive(w, now)) best = { floor: w.minInstances, window: w };
  }
  return best;
}
