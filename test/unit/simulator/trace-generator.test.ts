import { describe, expect, it } from 'vitest';
import { TRACE_PRESETS } from '../../../src/simulator/team-presets.js';
import { generateTeamTrace, teamOf, type TeamSpec } from '../../../src/simulator/trace-generator.js';
import { localParts } from '../../../src/simulator/zoned-time.js';

const HOUR = 3_600_000;
const spec = (over: Partial<TeamSpec> = {}): TeamSpec => ({
  members: teamOf(8, ['Europe/Amsterdam']),
  startDate: '2026-03-02',
  days: 7,
  periodTimeZone: 'Europe/Amsterdam',
  ...over,
});

describe('trace generator', () => {
  it('gives the same trace for the same seed and a different one for another seed', () => {
    expect(generateTeamTrace(spec(), 42)).toEqual(generateTeamTrace(spec(), 42));
    expect(generateTeamTrace(spec(), 42).sessions).not.toEqual(generateTeamTrace(spec(), 43).sessions);
  });

  it('keeps every session inside the period, sorted by start', () => {
    const t = generateTeamTrace(spec(), 1);
    expect(t.period).toEqual({ start: Date.parse('2026-03-01T23:00:00Z'), end: Date.parse('2026-03-08T23:00:00Z') });
    for (const s of t.sessions) {
      expect(s.start).toBeGreaterThanOrEqual(t.period.start);
      expect(s.end).toBeLessThanOrEqual(t.period.end);
      expect(s.end).toBeGreaterThan(s.start);
    }
    expect(t.sessions.map((s) => s.start)).toEqual([...t.sessions.map((s) => s.start)].sort((a, b) => a - b));
  });

  it('puts office workers in office hours of their own zone, with a lunch dip', () => {
    const t = generateTeamTrace(spec({ members: teamOf(12, ['America/New_York']).slice(2) }), 7);
    const weekday = t.sessions.filter((s) => localParts(s.start, 'America/New_York').weekday % 6 !== 0);
    const hours = weekday.map((s) => localParts(s.start, 'America/New_York').hour);
    expect(hours.filter((h) => h >= 7 && h <= 14).length / hours.length).toBeGreaterThan(0.9);
    const atNoon = (h: number) => weekday.filter((s) => localParts(s.start, 'America/New_York').hour <= h && localParts(s.end, 'America/New_York').hour > h).length;
    expect(atNoon(12)).toBeLessThan(atNoon(10));
  });

  it('has a night owl working past midnight and long SSH jobs', () => {
    const t = generateTeamTrace(spec(), 3);
    const owl = t.sessions.filter((s) => s.user === 'ana');
    expect(owl.some((s) => localParts(s.end, 'Europe/Amsterdam').hour < 4)).toBe(true);
    expect(t.sessions.some((s) => s.kind === 'ssh' && s.end - s.start >= 6 * HOUR)).toBe(true);
  });

  it('keeps weekends quiet without a deadline and busy before one', () => {
    const weekendHours = (s: TeamSpec) =>
      generateTeamTrace(s, 5)
        .sessions.filter((x) => x.user !== 'ana' && localParts(x.start, 'Europe/Amsterdam').weekday % 6 === 0)
        .reduce((h, x) => h + (x.end - x.start) / HOUR, 0);
    const calm = weekendHours(spec({ members: teamOf(12, ['Europe/Amsterdam']) }));
    const rush = weekendHours(spec({ members: teamOf(12, ['Europe/Amsterdam']), deadlines: ['2026-03-09'] }));
    expect(rush).toBeGreaterThan(calm + 10);
  });

  it('gives a holiday to its zone only', () => {
    const t = generateTeamTrace(
      spec({ members: teamOf(10, ['Europe/London', 'America/New_York']), startDate: '2026-05-04', periodTimeZone: 'Europe/London', holidays: [{ date: '2026-05-04', timeZones: ['Europe/London'] }] }),
      15,
    );
    const london = new Set(teamOf(10, ['Europe/London', 'America/New_York']).filter((m) => m.timeZone === 'Europe/London').map((m) => m.name));
    const onMonday = (zone: string) => (s: { start: number }) => localParts(s.start, zone).day === 4 && localParts(s.start, zone).month === 5;
    expect(t.sessions.filter((s) => london.has(s.user)).filter(onMonday('Europe/London'))).toEqual([]);
    expect(t.sessions.filter((s) => !london.has(s.user)).filter(onMonday('America/New_York')).length).toBeGreaterThan(3);
  });

  it('has presets with distinct files', () => {
    expect(new Set(TRACE_PRESETS.map((p) => p.file)).size).toBe(TRACE_PRESETS.length);
  });
});
