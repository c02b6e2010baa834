// Schedule windows are judged in their own time zone, across DST changes and midnight.
import { describe, expect, it } from 'vitest';
import { minutesOf, scheduleFloor, windowActive, type ScheduleWindow } from '../../../src/autoscale/schedule.js';

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

// Fall-back nights: Europe/Berlin repeats 02:00–03:00 local on 2026-10-25 (00:00–01:00Z CEST, 01:00–02:00Z CET);
// America/New_York repeats 01:00–02:00 local on 2026-11-01 (05:00–06:00Z EDT, 06:00–07:00Z EST).
describe('windowActive across a DST change applies each edge once', () => {
  const berlinLate: ScheduleWindow = { days: ['sat'], from: '20:00', to: '02:30', timeZone: 'Europe/Berlin', minInstances: 2 };
  const nyLate: ScheduleWindow = { days: ['sat'], from: '21:00', to: '01:30', timeZone: 'America/New_York', minInstances: 2 };
  const berlinEarly: ScheduleWindow = { days: ['sun'], from: '02:30', to: '04:00', timeZone: 'Europe/Berlin', minInstances: 2 };
  const berlinGap: ScheduleWindow = { days: ['sun'], from: '02:30', to: '05:00', timeZone: 'Europe/Berlin', minInstances: 2 };
  const allDay: ScheduleWindow = { days: ['mon'], from: '00:00', to: '24:00', timeZone: 'Europe/Berlin', minInstances: 2 };
  it.each([
    ['Berlin: 02:15 CEST, before the end', berlinLate, '2026-10-25T00:15:00Z', true],
    ['Berlin: the end, 02:30 CEST (first 02:30)', berlinLate, '2026-10-25T00:30:00Z', false],
    ['Berlin: 02:00 CET, the repeated hour, stays ended', berlinLate, '2026-10-25T01:00:00Z', false],
    ['Berlin: 02:15 CET, the repeated hour, stays ended', berlinLate, '2026-10-25T01:15:00Z', false],
    ['Berlin: 02:45 CET', berlinLate, '2026-10-25T01:45:00Z', false],
    ['New York: 01:15 EDT, before the end', nyLate, '2026-11-01T05:15:00Z', true],
    ['New York: 01:30 EDT, the end', nyLate, '2026-11-01T05:30:00Z', false],
    ['New York: 01:10 EST, the repeated hour, stays ended', nyLate, '2026-11-01T06:10:00Z', false],
    ['Berlin: a window starting in the repeated hour starts at the first 02:30', berlinEarly, '2026-10-25T00:30:00Z', true],
    ['Berlin: …and stays on through the second 02:00–02:30', berlinEarly, '2026-10-25T01:10:00Z', true],
    ['Berlin: …until 04:00 CET', berlinEarly, '2026-10-25T03:00:00Z', false],
    ['Berlin spring-forward: 02:30 does not exist; the window starts after the gap, 03:30 CEST', berlinGap, '2026-03-29T01:15:00Z', false],
    ['Berlin spring-forward: on at 03:30 CEST', berlinGap, '2026-03-29T01:30:00Z', true],
    ['an all-day window ("00:00"–"24:00") covers 23:59 local', allDay, '2026-03-30T21:59:00Z', true],
    ['an all-day window ends at local midnight', allDay, '2026-03-30T22:00:00Z', false],
    ['an all-day window starts at local midnight', allDay, '2026-03-29T22:00:00Z', true],
  ])('%s', (_name, w, at, expected) => {
    expect(windowActive(w, new Date(at))).toBe(expected);
  });
});


describe('window length', () => {
  const quarter: ScheduleWindow = { days: ['mon'], from: '08:15', to: '08:30', timeZone: 'UTC', minInstances: 1 };
  const wholeDay: ScheduleWindow = { days: ['mon'], from: '08:00', to: '08:00', timeZone: 'UTC', minInstances: 1 };
  it.each([
    ['a window within one hour starts at its minute', quarter, '2026-03-02T08:15:00Z', true],
    ['…and ends the same day, at its minute', quarter, '2026-03-02T08:30:00Z', false],
    ['…not running on past midnight', quarter, '2026-03-02T12:00:00Z', false],
    ['a window with to equal to from runs a whole day', wholeDay, '2026-03-02T20:00:00Z', true],
    ['…up to the minute before the same time next day', wholeDay, '2026-03-03T07:59:00Z', true],
    ['…and ends then', wholeDay, '2026-03-03T08:00:00Z', false],
  ])('%s', (_name, w, at, expected) => {
    expect(windowActive(w, new Date(at))).toBe(expected);
  });

  it('reads "HH:MM" as minutes of the day', () => {
    expect(minutesOf('08:15')).toBe(495);
    expect(minutesOf('24:00')).toBe(1440);
  });
});

describe('scheduleFloor', () => {
  const at = new Date('2026-03-02T10:00:00Z'); // Monday
  const w = (name: string, minInstances: number, days: ScheduleWindow['days'] = ['mon']): ScheduleWindow => ({ days, from: '08:00', to: '18:00', timeZone: 'UTC', minInstances, name });
  it('is the highest floor of the windows in force, set by the first window that has it', () => {
    expect(scheduleFloor([w('low', 1), w('high', 3), w('tie', 3), w('tuesday', 5, ['tue'])], at)).toEqual({ floor: 3, window: w('high', 3) });
  });
  it('is 0 without a window in force', () => {
    expect(scheduleFloor([w('tuesday', 5, ['tue'])], at)).toEqual({ floor: 0 });
  });
});
