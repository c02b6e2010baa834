// Worked examples of decide(): one row per situation an admin would recognise, with the plan and reason expected.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import type { InstanceObservation, ScaleHistory } from '../../../src/autoscale/observation.js';
import type { VmssPolicyInput } from '../../../src/autoscale/policy.js';
import { minutesBefore, NO_DATA, NOW, observation, policy, vm } from './factories.js';

interface Row {
  name: string;
  policy?: Partial<VmssPolicyInput>;
  instances: InstanceObservation[];
  capacity?: number;
  observation?: { provisioningState: string };
  history?: ScaleHistory;
  expect: { direction: string; start?: string[]; newCapacity?: number; deallocate?: string[]; delete?: string[]; protect?: string[]; unprotect?: string[]; reason: RegExp };
}

const rows: Row[] = [
  {
    name: 'deallocates idle VMs and keeps one for 1 session + 2 spare seats',
    instances: [vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { idleMinutes: 25 }), vm(3, { idleMinutes: 30 })],
    expect: { direction: 'in', deallocate: ['2', '3'], reason: /^2 of 3 VMs idle 25 min ≥ 20; keeping 1 for 1 session \+ 2 spare seats; deallocating 2 and 3$/ },
  },
  {
    name: 'never deallocates a VM with an SSH session even when the pool is over demand',
    instances: [vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { latest: 1, protectFromScaleIn: true }), vm(3, { latest: 1, protectFromScaleIn: true })],
    expect: { direction: 'none', reason: /none idle for 20 min yet/ },
  },
  {
    name: 'keeps a VM with no session data and warns about it',
    instances: [vm(1, { sessions: NO_DATA }), vm(2, { idleMinutes: 40 })],
    expect: { direction: 'in', deallocate: ['2'], protect: ['1'], reason: /deallocating 2; protecting busy 1/ },
  },
  {
    name: 'does not remove a VM idle for less than the window',
    instances: [vm(1, { idleMinutes: 19 })],
    expect: { direction: 'none', reason: /none idle for 20 min yet/ },
  },
  {
    name: 'starts deallocated VMs before adding new ones',
    instances: [vm(1, { latest: 4, protectFromScaleIn: true }), vm(2, { state: 'deallocated' }), vm(3, { state: 'deallocated' })],
    policy: { spareSeats: 10 },
    expect: { direction: 'out', start: ['2', '3'], newCapacity: 4, reason: /^4 sessions \+ 10 spare seats need 4 VMs; 1 running or starting; starting 2 and 3; adding 1 new VM \(capacity 3 → 4\)$/ },
  },
  {
    name: 'counts booting VMs as coming capacity and does not scale out twice',
    instances: [vm(1, { latest: 4, protectFromScaleIn: true }), vm(2, { state: 'creating' }), vm(3, { state: 'starting' })],
    policy: { spareSeats: 6 },
    expect: { direction: 'none', reason: /3 needed .*; 3 running or starting; nothing to do/ },
  },
  {
    name: 'counts capacity the scale set has not listed yet',
    instances: [vm(1, { latest: 4, protectFromScaleIn: true })],
    capacity: 3,
    policy: { spareSeats: 6 },
    expect: { direction: 'none', reason: /3 running or starting/ },
  },
  {
    name: 'caps a scale-out at maxScaleOutStep',
    instances: [vm(1, { latest: 20, protectFromScaleIn: true })],
    policy: { maxScaleOutStep: 2, maxInstances: 10 },
    expect: { direction: 'out', newCapacity: 3, reason: /adding 2 new VMs \(capacity 1 → 3\)/ },
  },
  {
    name: 'holds a scale-out during its cooldown',
    instances: [vm(1, { latest: 8, protectFromScaleIn: true })],
    history: { lastScaleOutAt: minutesBefore(NOW, 1) },
    expect: { direction: 'none', reason: /scale-out held by the 2-min cooldown/ },
  },
  {
    name: 'holds a scale-in during its cooldown',
    instances: [vm(1, { idleMinutes: 40 })],
    history: { lastScaleInAt: minutesBefore(NOW, 5) },
    expect: { direction: 'none', reason: /scale-in held by the 10-min cooldown/ },
  },
  {
    name: 'wakes an empty pool at once, whatever the cooldown',
    instances: [vm(1, { state: 'deallocated' })],
    history: { lastWakeAt: NOW, lastScaleOutAt: minutesBefore(NOW, 1) },
    expect: { direction: 'out', start: ['1'], reason: /^a wake request needs 1 VM; 0 running or starting; starting 1$/ },
  },
  {
    name: 'keeps one VM when scaleToZero is false',
    policy: { scaleToZero: false },
    instances: [vm(1, { idleMinutes: 40 }), vm(2, { idleMinutes: 40 })],
    expect: { direction: 'in', deallocate: ['2'], reason: /keeping 1 for scaleToZero=false; deallocating 2/ },
  },
  {
    name: 'deletes instead of deallocating when scaleInAction is delete',
    policy: { scaleInAction: 'delete' },
    instances: [vm(1, { idleMinutes: 40 })],
    expect: { direction: 'in', delete: ['1'], reason: /keeping 0 for nobody is on; deleting 1$/ },
  },
  {
    name: 'deletes what does not fit under maxDeallocated',
    policy: { maxDeallocated: 1 },
    instances: [vm(1, { idleMinutes: 40 }), vm(2, { idleMinutes: 40 })],
    expect: { direction: 'in', deallocate: ['1'], delete: ['2'], reason: /deallocating 1; deleting 2 \(over maxDeallocated 1\)/ },
  },
  {
    name: 'keeps VMs a schedule window starting in 10 minutes will want',
    policy: { schedules: [{ days: ['mon'], from: '11:10', to: '18:00', timeZone: 'Europe/Berlin', minInstances: 2, name: 'office' }] },
    instances: [vm(1, { idleMinutes: 40 }), vm(2, { idleMinutes: 40 })],
    expect: { direction: 'none', reason: /2 needed for schedule "office" 11:10–18:00 Europe\/Berlin \(starting soon\)/ },
  },
  {
    name: 'warms the pool for a schedule window in its own time zone',
    policy: { schedules: [{ days: ['mon'], from: '08:00', to: '18:00', timeZone: 'America/New_York', minInstances: 2 }] },
    instances: [],
    // 10:00 UTC is 05:00 in New York: not yet.
    expect: { direction: 'none', reason: /nothing to do/ },
  },
  {
    name: 'waits while the scale set is still busy with an operation',
    instances: [vm(1, { latest: 8 })],
    observation: { provisioningState: 'Updating' },
    expect: { direction: 'none', reason: /still busy with an operation/ },
  },
  {
    name: 'protects a busy VM and unprotects one idle for the window',
    policy: { minInstances: 2 },
    instances: [vm(1, { latest: 2 }), vm(2, { idleMinutes: 40, protectFromScaleIn: true })],
    expect: { direction: 'none', protect: ['1'], unprotect: ['2'], reason: /protecting busy 1; unprotecting idle 2/ },
  },
];

describe('decide()', () => {
  it.each(rows)('$name', (row) => {
    const obs = observation(row.instances, { ...(row.capacity === undefined ? {} : { capacity: row.capacity }), ...row.observation });
    const plan = decide(policy(row.policy), obs, NOW, row.history ?? {});
    expect(plan.direction).toBe(row.expect.direction);
    expect(plan.start).toEqual(row.expect.start ?? []);
    expect(plan.newCapacity).toBe(row.expect.newCapacity);
    expect(plan.deallocate).toEqual(row.expect.deallocate ?? []);
    expect(plan.delete).toEqual(row.expect.delete ?? []);
    expect(plan.protect).toEqual(row.expect.protect ?? []);
    expect(plan.unprotect).toEqual(row.expect.unprotect ?? []);
    expect(plan.reason).toMatch(row.expect.reason);
  });

  it('reports a VM without session data as a health warning', () => {
    const stale = { hasData: true, latest: 0, maxInWindow: 0, firstSampleAt: minutesBefore(NOW, 40), lastSampleAt: minutesBefore(NOW, 15) };
    const plan = decide(policy(), observation([vm(4, { sessions: stale })]), NOW, {});
    expect(plan.warnings).toEqual(['VM 4: no session data for 15 min; counted as busy']);
    expect(plan.deallocate).toEqual([]);
  });

  it('counts idle time of a VM restarted from deallocated from its restart, not from before it went away', () => {
    // Idle for 25 min, deallocated for 20, restarted 9 min ago: the window (30 + 5 min) still holds the old samples.
    const restarted = { hasData: true, latest: 0, maxInWindow: 0, firstSampleAt: minutesBefore(NOW, 35), lastSampleAt: minutesBefore(NOW, 1), unbrokenSince: minutesBefore(NOW, 9) };
    const plan = decide(policy({ idleMinutesBeforeScaleIn: 30, spareSeats: 0 }), observation([vm(1, { sessions: restarted, protectFromScaleIn: true })]), NOW, {});
    expect(plan.deallocate).toEqual([]);
    expect(plan.unprotect).toEqual([]);
    expect(plan.figures.idleForWindow).toBe(0);
  });

  it('counts idle time after a restart from the later of the last busy minute and the restart', () => {
    const busyBefore = { hasData: true, latest: 0, maxInWindow: 1, firstSampleAt: minutesBefore(NOW, 35), lastSampleAt: minutesBefore(NOW, 1), lastBusyAt: minutesBefore(NOW, 34), unbrokenSince: minutesBefore(NOW, 31) };
    const plan = decide(policy({ idleMinutesBeforeScaleIn: 30, spareSeats: 0 }), observation([vm(1, { sessions: busyBefore })]), NOW, {});
    expect(plan.deallocate).toEqual(['1']);
    expect(plan.reason).toMatch(/idle 31 min/);
  });

  describe('a VM stopped but still allocated (billed, serves nobody)', () => {
    const stoppedFor = (minutes: number | undefined) => vm(4, {
      state: 'stopped',
      sessions: minutes === undefined ? NO_DATA : { hasData: true, latest: 0, maxInWindow: 0, firstSampleAt: minutesBefore(NOW, 40), lastSampleAt: minutesBefore(NOW, minutes) },
    });
    it.each([
      ['stopped 16 min ago (last report)', 16, ['4']],
      ['stopped 15 min ago, exactly the grace', 15, ['4']],
      ['stopped 5 min ago, within the grace', 5, []],
      ['no report in the window: stopped longer than the grace', undefined, ['4']],
    ] as const)('%s → deallocate %j', (_name, minutes, expected) => {
      const plan = decide(policy({ deallocateStoppedAfterMinutes: 15 }), observation([vm(1, { latest: 1, protectFromScaleIn: true }), stoppedFor(minutes)]), NOW, {});
      expect(plan.deallocate).toEqual([...expected]);
      if (expected.length) expect(plan.reason).toContain('deallocating stopped 4 (stopped but still allocated for 15 min or more, so still billed)');
      expect(plan.warnings).toContain('VM 4: stopped but not deallocated, so still billed for compute; deallocated once stopped for 15 min');
    });

    it('is started instead when the pool needs capacity', () => {
      const plan = decide(policy({ deallocateStoppedAfterMinutes: 15, minInstances: 2 }), observation([vm(1, { latest: 1, protectFromScaleIn: true }), stoppedFor(30)]), NOW, {});
      expect(plan.start).toEqual(['4']);
      expect(plan.deallocate).toEqual([]);
    });
  });

  it('says why VMs beyond the need stay, never "keeping 3 for nobody is on"', () => {
    const plan = decide(policy({ spareSeats: 0 }), observation([vm(1, { idleMinutes: 5 }), vm(2, { idleMinutes: 10 }), vm(3, { idleMinutes: 30 })]), NOW, {});
    expect(plan.deallocate).toEqual(['3']);
    expect(plan.reason).toBe('1 of 3 VMs idle 30 min ≥ 20; keeping 2 (2 in use or not idle for 20 min yet); deallocating 3');
  });

  it('warns when maxInstances caps a pool whose sessions exceed its seats', () => {
    const plan = decide(policy({ maxInstances: 2, seatsPerInstance: 2, spareSeats: 0 }), observation([vm(1, { latest: 3, protectFromScaleIn: true }), vm(2, { latest: 2, protectFromScaleIn: true })]), NOW, {});
    expect(plan.direction).toBe('none');
    expect(plan.warnings).toContain('5 sessions on 4 seats: maxInstances 2 × seatsPerInstance 2 caps the pool, so VMs are crowded; raise maxInstances to add VMs');
  });
});

