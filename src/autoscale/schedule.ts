// Schedule windows ("keep 3 VMs warm Mon–Fri 08:00–18:00 Europe/Berlin"), judged in the window's own time zone.
// Local wall time comes from Intl, so DST changes are handled by the platform's tz database.
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleWindow {
  /** Days on which the window starts. */
  days: Weekday[];
  /** Local start and end, "HH:MM"; a window with to ≤ from runs past midnight into the next day. */
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

/** Day of week and minutes since local midnight of an instant in a time zone. */
export function localTime(now: Date, timeZone: string): { day: number; minutes: number } {
  const parts = formatterFor(timeZone).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as Weekday);
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether the window is in force at `now`. */
export function windowActive(w: ScheduleWindow, now: Date): boolean {
  const { day, minutes } = localTime(now, w.timeZone);
  const from = minutesOf(w.from);
  const to = minutesOf(w.to);
  const startsOn = (d: number) => w.days.includes(WEEKDAYS[(d + 7) % 7]!);
  if (to > from) return startsOn(day) && minutes >= from && minutes < to;
  // Overnight window: either it started today and runs to midnight, or it started yesterday and runs until `to`.
  return (startsOn(day) && minutes >= from) || (startsOn(day - 1) && minutes < to);
}

/** The highest schedule floor in force at `now`, and the window that sets it. */
export function scheduleFloor(windows: readonly ScheduleWindow[], now: Date): { floor: number; window?: ScheduleWindow } {
  let best: { floor: number; window?: ScheduleWindow } = { floor: 0 };
  for (const w of windows) {
    if (w.minInstances > best.floor && windowActive(w, now)) best = { floor: w.minInstances, window: w };
  }
  return best;
}
