// The team traces checked in under traces/: each preset is a TeamSpec plus the seed and file it is written to.
import { teamOf, type TeamSpec } from './trace-generator.js';

export interface TracePreset {
  name: string;
  description: string;
  file: string;
  seed: number;
  spec: TeamSpec;
}

export const TRACE_PRESETS: readonly TracePreset[] = [
  {
    name: 'team-8-one-zone',
    description: 'A team of 8 in Amsterdam, one ordinary week (Mon 2 Mar 2026 – Sun 8 Mar): a night owl, one runs long SSH jobs.',
    file: 'team-8-one-zone.csv',
    seed: 8,
    spec: {
      members: teamOf(8, ['Europe/Amsterdam']),
      startDate: '2026-03-02',
      days: 7,
      periodTimeZone: 'Europe/Amsterdam',
    },
  },
  {
    name: 'team-15-two-zones',
    description:
      'A team of 15 in London and New York, the week of 4 May 2026; Monday is a UK bank holiday (New York works).',
    file: 'team-15-two-zones.jsonl',
    seed: 15,
    spec: {
      members: teamOf(15, ['Europe/London', 'America/New_York']),
      startDate: '2026-05-04',
      days: 7,
      periodTimeZone: 'Europe/London',
      holidays: [{ date: '2026-05-04', timeZones: ['Europe/London'] }],
    },
  },
  {
    name: 'deadline-week',
    description: 'A team of 10 in Berlin with a deadline on Monday 15 Jun 2026: long days Thu–Mon and work over the weekend.',
    file: 'deadline-week.csv',
    seed: 10,
    spec: {
      members: teamOf(10, ['Europe/Berlin']),
      startDate: '2026-06-08',
      days: 8,
      periodTimeZone: 'Europe/Berlin',
      deadlines: ['2026-06-15'],
    },
  },
];
