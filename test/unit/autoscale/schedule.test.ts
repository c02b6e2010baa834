// Schedule windows are judged in their own time zone, across DST changes and midnight.
import { describe, expect, it } from 'vitest';
import { windowActive, type ScheduleWindow } from '../../../src/autoscale/schedule.js';

const office: ScheduleWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', timeZone: 'Europe/Berlin', minInstances: 2 };
const night: ScheduleWindow = { days: ['fri'], from: '22:00', to: '02:00', timeZone: 'America/New_York', minInstances: 1 };

describe('windowActive', () => {
  it.each([
    ['Berlin winter (CET, UTC+1): 07:30 UTC is 08:30', office, '2026-03-27T07:30:00Z', true],
    ['Berlin winter: 06:30 UTC is 07:30, before the window', office, '2026-03-27T06:30:00Z', false],
    ['Berlin summer (CEST, UTC+2) right after the change: 06:30 UTC is 08:30', office, '2026-03-30T06:30:00Z', true],
    ['Berlin summer: 16:30 UTC is 18:30, after the window', office, '2026-03-30T16:30:00Z', false],
    ['Berlin: Saturday is not a window day', office, '2026-03-28T10:00:00Z', false],
    ['Berlin back in winter time after October change: 07:05 UTC is 08:05', office, '2026-10-26T07:05:00Z', true],
    ['New York overnight Friday 23:00 EDT', night, '2026-03-14T03:00:00Z', true],
    ['New York overnight runs into Saturday 01:30', night, '2026-03-14T05:30:00Z', true],
    ['New York overnight ends at 02:00 Saturday', night, '2026-03-14T06:30:00Z', false],
    ['New York Thursday night is not a window', night, '2026-03-13T03:00:00Z', false],
    ['Kolkata (UTC+5:30): 02:45 UTC is 08:15', { ...office, timeZone: 'Asia/Kolkata' }, '2026-03-27T02:45:00Z', true],
    ['Kolkata: 02:15 UTC is 07:45', { ...office, timeZone: 'Asia/Kolkata' }, '2026-03-27T02:15:00Z', false],
  ])('%s', (_name, w, at, expected) => {
    expect(windowActive(w as ScheduleWindow, new Date(at as string))).toBe(expected);
  });
});
