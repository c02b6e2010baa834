import { describe, expect, it } from 'vitest';
import { isoInZone, localParts, zonedEpoch } from '../../../src/simulator/zoned-time.js';

describe('zoned time', () => {
  it.each([
    // Before and after the EU change to summer time on 29 Mar 2026.
    [{ year: 2026, month: 3, day: 27 }, 9 * 60, 'Europe/Berlin', '2026-03-27T08:00:00.000Z', '2026-03-27T09:00:00+01:00'],
    [{ year: 2026, month: 3, day: 30 }, 9 * 60, 'Europe/Berlin', '2026-03-30T07:00:00.000Z', '2026-03-30T09:00:00+02:00'],
    [{ year: 2026, month: 5, day: 4 }, 9 * 60 + 30, 'America/New_York', '2026-05-04T13:30:00.000Z', '2026-05-04T09:30:00-04:00'],
    [{ year: 2026, month: 5, day: 4 }, 25 * 60, 'UTC', '2026-05-05T01:00:00.000Z', '2026-05-05T01:00:00Z'],
  ])('maps %o + %i min in %s to %s', (date, minute, zone, utc, local) => {
    const t = zonedEpoch(date, minute, zone);
    expect(new Date(t).toISOString()).toBe(utc);
    expect(isoInZone(t, zone)).toBe(local);
    expect(Date.parse(isoInZone(t, zone))).toBe(t);
  });

  it('knows the local weekday', () => {
    expect(localParts(Date.parse('2026-03-01T23:30:00Z'), 'Europe/Berlin').weekday).toBe(1);
    expect(localParts(Date.parse('2026-03-01T23:30:00Z'), 'UTC').weekday).toBe(0);
  });
});
