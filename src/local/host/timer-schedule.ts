// Timer schedules as the Functions host reads them: NCRONTAB with six fields (seconds first), day-of-month AND
// day-of-week both required to match, UTC unless WEBSITE_TIME_ZONE says otherwise; or a TimeSpan interval.
import { Cron } from 'croner';
import { parseTimeSpan } from './host-json.js';

export interface TimerSchedule {
  expression: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

/** Replaces %NAME% with the app setting NAME, as the host does for binding expressions. */
export function resolveSettings(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') throw new Error(`App setting "${name}" (referenced as %${name}%) is not set`);
    return v;
  });
}

export function parseSchedule(expression: string, timeZone?: string): TimerSchedule {
  const trimmed = expression.trim();
  if (/^(\d+\.)?\d{1,2}:\d{1,2}:\d{1,2}$/.test(trimmed)) {
    const everyMs = parseTimeSpan(trimmed);
    if (everyMs <= 0) throw new Error(`Timer schedule "${expression}": the interval must be positive`);
    return { expression: trimmed, next: (after) => new Date(after.getTime() + everyMs) };
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Timer schedule "${expression}" must be an NCRONTAB expression with 6 fields (second minute hour day month day-of-week), e.g. "0 */5 * * * *"`,
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(trimmed, { paused: true, mode: '6-part', domAndDow: true, timezone: timeZone ?? 'UTC' });
  } catch (err) {
    throw new Error(`Timer schedule "${expression}" is not valid NCRONTAB: ${(err as Error).message}`);
  }
  return {
    expression: trimmed,
    next(after) {
      const n = cron.nextRun(after);
      if (!n) throw new Error(`Timer schedule "${expression}" has no future occurrence`);
      return n;
    },
  };
}
