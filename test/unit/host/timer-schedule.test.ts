// NCRONTAB schedules (six fields, seconds first) and %SETTING% expressions, as the host reads them.
import { describe, expect, it } from 'vitest';
import { parseSchedule, resolveSettings } from '../../../src/local/host/timer-schedule.js';

const at = (iso: string): Date => new Date(iso);

describe('parseSchedule', () => {
  it.each([
    ['0 */1 * * * *', '2026-01-01T10:00:30Z', '2026-01-01T10:01:00.000Z'],
    ['30 */1 * * * *', '2026-01-01T10:00:30Z', '2026-01-01T10:01:30.000Z'], // strictly after
    ['*/5 * * * * *', '2026-01-01T10:00:01Z', '2026-01-01T10:00:05.000Z'],
    ['0 0 9 * * 1-5', '2026-01-03T00:00:00Z', '2026-01-05T09:00:00.000Z'], // Saturday → Monday 09:00 UTC
    ['0 0 9 * * MON-FRI', '2026-01-03T00:00:00Z', '2026-01-05T09:00:00.000Z'],
    ['0 0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-02-13T00:00:00.000Z'], // Friday the 13th: day AND weekday
    ['00:05:00', '2026-01-01T10:00:00Z', '2026-01-01T10:05:00.000Z'], // TimeSpan form
  ])('%s after %s is %s', (expression, after, next) => {
    expect(parseSchedule(expression).next(at(after)).toISOString()).toBe(next);
  });

  it('runs in WEBSITE_TIME_ZONE when one is given', () => {
    expect(parseSchedule('0 0 9 * * *', 'Europe/Berlin').next(at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T08:00:00.000Z');
  });

  it.each(['*/5 * * * *', '0 0 * * * * *', 'every minute'])('rejects %j, asking for six fields', (expression) => {
    expect(() => parseSchedule(expression)).toThrow(/6 fields|not valid NCRONTAB/);
  });
});

describe('resolveSettings', () => {
  it('replaces %NAME% with the app setting', () => {
    expect(resolveSettings('%SCHEDULE%', { SCHEDULE: '0 */1 * * * *' })).toBe('0 */1 * * * *');
    expect(resolveSettings('jobs-%ENV%', { ENV: 'dev' })).toBe('jobs-dev');
  });

  it('names a missing setting', () => {
    expect(() => resolveSettings('%NOPE%', {})).toThrow(/App setting "NOPE"/);
  });
});
