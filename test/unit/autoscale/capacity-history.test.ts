// The capacity history rebuilt from scale events, the VM-hours under it and the pool cost derived from it.
import { describe, expect, it } from 'vitest';
import { billedVmHours, capacitySteps, countsAfter, countsOf, peakBilledVms } from '../../../src/autoscale/capacity-history.js';
import { periodStarts, poolCost } from '../../../src/autoscale/pool-cost.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';

const T0 = new Date('2026-11-30T08:00:00Z'); // a Monday
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function event(minutes: number, instances: string[], o: Partial<ScaleEvent> = {}, plan: Partial<NonNullable<ScaleEvent['plan']>> = {}): ScaleEvent {
  return {
    pool: 'lab', at: at(minutes), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'out', reason: 'r',
    observed: { capacity: instances.length, provisioningState: 'Succeeded', instances },
    plan: { start: [], deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 0, figures: {} as never, warnings: [], ...plan },
    actedOut: false, actedIn: false, durationMs: 1, ...o,
  };
}

describe('capacity history', () => {
  it('counts running or coming VMs as active and every allocated VM (stopped too) as billed', () => {
    expect(countsOf({ capacity: 5, provisioningState: 'Succeeded', instances: ['0 running 2/3 protected', '1 starting', '2 stopped', '3 deallocated', '4 creating'] })).toEqual({ activeVms: 3, billedVms: 4 });
  });

  it.each([
    ['a done scale-out adds started and created VMs', event(0, ['0 running 1/1', '1 deallocated'], {}, { start: ['1'], newCapacity: 4 }), { activeVms: 4, billedVms: 4 }],
    ['a done scale-in removes deallocated and deleted VMs', event(0, ['0 running 0/0', '1 running 0/0', '2 running 0/0'], { direction: 'in' }, { deallocate: ['1'], delete: ['2'] }), { activeVms: 1, billedVms: 1 }],
    ['a dry run changes nothing', event(0, ['0 running 0/0'], { outcome: 'dry-run' }, { deallocate: ['0'] }), { activeVms: 1, billedVms: 1 }],
    ['a failed action changes nothing', event(0, ['0 running 0/0'], { outcome: 'failed' }, { start: ['1'] }), { activeVms: 1, billedVms: 1 }],
  ])('%s', (_name, e, expected) => {
    expect(countsAfter(e)).toEqual(expected);
  });

  it('is a step function from the window start, merging steps that change nothing, closed by the pool as seen now', () => {
    const events = [event(60, ['0 running 4/4'], {}, { newCapacity: 3 }), event(10, [], {}, { newCapacity: 1 }), event(30, ['0 running 1/1'], { direction: 'none' })];
    const steps = capacitySteps(events, T0, at(120), { activeVms: 3, billedVms: 3 });
    expect(steps.map((s) => [s.at.toISOString().slice(11, 16), s.activeVms])).toEqual([['08:00', 0], ['08:10', 1], ['09:00', 3]]);
    // 0 VMs for 10 min, 1 for 50 min, 3 for 60 min.
    expect(billedVmHours(steps, T0, at(120))).toBeCloseTo(50 / 60 + 3, 6);
    expect(billedVmHours(steps, at(90), at(120))).toBeCloseTo(1.5, 6);
    expect(peakBilledVms(steps, T0, at(59))).toBe(1);
    expect(peakBilledVms(steps, T0, at(120))).toBe(3);
  });

  it('holds the pool as seen now over the whole window when nothing was recorded', () => {
    expect(capacitySteps([], T0, at(60), { activeVms: 2, billedVms: 2 })).toEqual([{ at: T0, activeVms: 2, billedVms: 2 }]);
    expect(capacitySteps([], T0, at(60))).toEqual([]);
  });
});

describe('capacity history edges', () => {
  it('bills neither deleting VMs nor VMs in an unknown or unreadable state', () => {
    expect(countsOf({ capacity: 3, provisioningState: 'Succeeded', instances: ['0 deleting', '1 unknown', '2'] })).toEqual({ activeVms: 0, billedVms: 0 });
  });

  it('takes events at the very start and end of the window, and none outside it or without an observation', () => {
    const events = [
      event(-1, ['0 running 0/0', '1 running 0/0', '2 running 0/0', '3 running 0/0']),
      event(0, ['0 running 0/0']),
      event(30, ['0 running 0/0', '1 running 0/0'], { observed: undefined }),
      event(60, ['0 running 0/0', '1 running 0/0']),
      event(61, ['0 running 0/0', '1 running 0/0', '2 running 0/0']),
    ];
    expect(capacitySteps(events, T0, at(60))).toEqual([
      { at: T0, activeVms: 1, billedVms: 1 },
      { at: at(60), activeVms: 2, billedVms: 2 },
    ]);
  });

  it('keeps a step that changes only the active count, or only the billed count', () => {
    const events = [event(0, ['0 stopped']), event(10, ['0 running 0/0']), event(20, ['0 stopped']), event(30, ['0 deallocated'])];
    expect(capacitySteps(events, T0, at(60)).map((s) => [s.activeVms, s.billedVms])).toEqual([[0, 1], [1, 1], [0, 1], [0, 0]]);
  });

  it('finds the peak among steps that overlap the window, counting one that starts at its end and none that ends at its start', () => {
    const steps = [
      { at: T0, activeVms: 5, billedVms: 5 },
      { at: at(60), activeVms: 1, billedVms: 1 },
      { at: at(120), activeVms: 3, billedVms: 3 },
    ];
    expect(peakBilledVms(steps, at(60), at(119))).toBe(1);
    expect(peakBilledVms(steps, at(60), at(120))).toBe(3);
  });
});

describe('pool cost', () => {
  it('starts periods at the UTC day, Monday and the first of the month', () => {
    const s = periodStarts(new Date('2026-12-03T15:00:00Z')); // Thursday
    expect([s.today, s.week, s.month].map((d) => d.toISOString())).toEqual(['2026-12-03T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  });

  it('prices VM-hours per period and always-on at the week’s peak', () => {
    const now = new Date('2026-12-01T12:00:00Z'); // Tuesday, first of the month
    const steps = [
      { at: new Date('2026-11-30T00:00:00Z'), activeVms: 0, billedVms: 0 },
      { at: new Date('2026-11-30T09:00:00Z'), activeVms: 4, billedVms: 4 }, // 4 VMs 09:00–17:00 Monday = 32 VM-h
      { at: new Date('2026-11-30T17:00:00Z'), activeVms: 0, billedVms: 0 },
      { at: new Date('2026-12-01T09:00:00Z'), activeVms: 2, billedVms: 2 }, // 2 VMs 09:00–12:00 Tuesday = 6 VM-h
    ];
    const c = poolCost('lab', steps, { vmSize: 'Standard_D4s_v5', vmPerHour: 0.5 }, now);
    expect(c.today).toEqual({ from: '2026-12-01T00:00:00.000Z', vmHours: 6, cost: 3 });
    expect(c.week).toEqual({ from: '2026-11-30T00:00:00.000Z', vmHours: 38, cost: 19 });
    expect(c.month).toEqual({ from: '2026-12-01T00:00:00.000Z', vmHours: 6, cost: 3 });
    // Peak 4 VMs around the clock: 36 h of the week so far × 4 × $0.5.
    expect(c.alwaysOn).toEqual({ vms: 4, today: 24, week: 72, month: 24 });
  });
});
