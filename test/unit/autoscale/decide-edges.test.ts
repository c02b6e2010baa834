// decide() at its edges: the figures behind a plan, cooldowns at their last minute, what counts as parked, the
// order VMs go in, and deallocated VMs beyond maxDeallocated. Complements the worked examples in decide.test.ts.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import type { InstanceSessions } from '../../../src/autoscale/observation.js';
import { minutesBefore, NO_DATA, NOW, observation, policy, sessions, vm } from './factories.js';

const stale: InstanceSessions = { ...sessions({ idleMinutes: 40 }), lastSampleAt: minutesBefore(NOW, 10) };

describe('figures', () => {
  it('counts sessions and unknown VMs on running VMs only, and leaves out reserved, waiting and unknownFull when 0', () => {
    // VM 3 was deallocated while its last sample showed 2 sessions; VM 4 never reported.
    const lastBusy: InstanceSessions = { hasData: true, latest: 2, maxInWindow: 2, firstSampleAt: minutesBefore(NOW, 60), lastSampleAt: minutesBefore(NOW, 30), lastBusyAt: minutesBefore(NOW, 30) };
    const plan = decide(policy(), observation([vm(1, { latest: 1, protectFromScaleIn: true }), vm(3, { state: 'deallocated', sessions: lastBusy }), vm(4, { state: 'deallocated', sessions: NO_DATA })]), NOW, {});
    expect(plan.figures).toEqual({ sessions: 1, demand: 1, floor: 0, floorSource: expect.any(String), active: 1, idleForWindow: 0, unknown: 0 });
  });

  it('counts a running VM with stale data as unknown, and one unknown past its boot as full', () => {
    const plan = decide(policy({ seatsPerInstance: 4 }), observation([vm(1, { sessions: stale, protectFromScaleIn: true }), vm(2, { latest: 1, protectFromScaleIn: true })]), NOW, {});
    expect(plan.figures).toMatchObject({ sessions: 1, unknown: 1, unknownFull: 1, demand: 2 });
  });

  it('counts a reserved seat as demand beside the sessions', () => {
    const plan = decide(policy({ seatsPerInstance: 2, spareSeats: 0 }), observation([vm(1, { latest: 2, reserved: 1, protectFromScaleIn: true })]), NOW, {});
    expect(plan.figures).toMatchObject({ sessions: 2, reserved: 1, demand: 2 });
  });

  it('does not count a user\'s second sessions past the seats as demand (reserved seats included in the load)', () => {
    const plan = decide(policy({ seatsPerInstance: 4, spareSeats: 0 }), observation([vm(1, { latest: 5, reported: 5, sharedSessions: 2, reserved: 1, protectFromScaleIn: true })]), NOW, {});
    expect(plan.figures).toMatchObject({ sessions: 5, reserved: 1, overSeats: 2, demand: 1 });
  });
});

describe('a busy scale set', () => {
  it('says nothing is held back when nothing was due', () => {
    const plan = decide(policy(), observation([vm(1, { latest: 1, protectFromScaleIn: true })], { provisioningState: 'Updating' }), NOW, {});
    expect(plan.figures.heldBy).toBeUndefined();
    expect(plan.direction).toBe('none');
  });
});

describe('cooldowns end at their last minute', () => {
  it('scales out again exactly scaleOutCooldownMinutes after the last scale-out, not a minute before', () => {
    const p = policy({ scaleOutCooldownMinutes: 2, seatsPerInstance: 4, spareSeats: 0 });
    const more = observation([vm(1, { latest: 5, protectFromScaleIn: true }), vm(2, { state: 'deallocated' })]);
    expect(decide(p, more, NOW, { lastScaleOutAt: minutesBefore(NOW, 2) })).toMatchObject({ direction: 'out', start: ['2'] });
    expect(decide(p, more, NOW, { lastScaleOutAt: minutesBefore(NOW, 1) })).toMatchObject({ direction: 'none', start: [], figures: { heldBy: 'scale-out-cooldown' } });
  });

  it('during the cooldown, starts only the VMs for people the broker is holding or queueing', () => {
    // 1 VM, 1 seat each, 2 spare seats: 1 session + 1 waiting wants 4 VMs, 2 of them for people.
    const p = policy({ seatsPerInstance: 1, spareSeats: 2, scaleOutCooldownMinutes: 5 });
    const o = observation([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { state: 'deallocated' }), vm(3, { state: 'deallocated' }), vm(4, { state: 'deallocated' })], { waiting: 1 });
    const plan = decide(p, o, NOW, { lastScaleOutAt: minutesBefore(NOW, 1) });
    expect(plan).toMatchObject({ direction: 'out', start: ['2'], targetActive: 2 });
    expect(plan.newCapacity).toBeUndefined();
  });

  it('starts no more deallocated VMs than the step', () => {
    const p = policy({ seatsPerInstance: 1, spareSeats: 0, maxScaleOutStep: 1 });
    const o = observation([vm(1, { latest: 3, protectFromScaleIn: true }), vm(2, { state: 'deallocated' }), vm(3, { state: 'deallocated' })]);
    expect(decide(p, o, NOW, {})).toMatchObject({ direction: 'out', start: ['2'], targetActive: 2 });
  });
});

describe('a schedule starting soon', () => {
  it('at its target the pool reads today\'s floor; the window starting soon is named only when VMs could go', () => {
    const soon = { days: ['mon'] as const, from: '10:10', to: '18:00', timeZone: 'UTC', minInstances: 2, name: 'office hours' };
    const p = policy({ minInstances: 1, schedules: [{ ...soon, days: [...soon.days] }] });
    const plan = decide(p, observation([vm(1, { idleMinutes: 40 })]), NOW, {});
    expect(plan.figures).toMatchObject({ floor: 1 });
    expect(plan.figures.floorSource).not.toContain('starting soon');
  });
});

describe('scale-in order and room for deallocated VMs', () => {
  it('removes the newest idle VM first, numerically ("10" after "9")', () => {
    const o = observation([vm(10, { idleMinutes: 40 }), vm(9, { idleMinutes: 40 }), vm(2, { latest: 1, protectFromScaleIn: true })]);
    expect(decide(policy({ spareSeats: 0 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['9', '10'] });
    expect(decide(policy({ spareSeats: 4 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['10'] });
  });

  it('counts a VM still deallocating as parked: with no room left, the idle VM is deleted', () => {
    const o = observation([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { idleMinutes: 40 }), vm(3, { state: 'deallocating' })]);
    expect(decide(policy({ spareSeats: 0, maxDeallocated: 1 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: [], delete: ['2'] });
    expect(decide(policy({ spareSeats: 0, maxDeallocated: 2 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['2'], delete: [] });
  });

  it('counts a deallocated VM as parked: with no room left, the idle VM is deleted and the parked one stays', () => {
    const o = observation([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { idleMinutes: 40 }), vm(3, { state: 'deallocated' })]);
    expect(decide(policy({ spareSeats: 0, maxDeallocated: 1 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: [], delete: ['2'] });
    expect(decide(policy({ spareSeats: 0, maxDeallocated: 2 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['2'], delete: [] });
  });

  it('does not unprotect a protected VM that is being removed', () => {
    const o = observation([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { idleMinutes: 40, protectFromScaleIn: true })]);
    expect(decide(policy({ spareSeats: 0 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['2'], unprotect: [] });
  });
});

describe('deallocated VMs beyond maxDeallocated', () => {
  const busy = vm(1, { latest: 1, protectFromScaleIn: true });

  it('deletes the newest of them, as a scale-in of its own', () => {
    const o = observation([busy, vm(3, { state: 'deallocated' }), vm(4, { state: 'deallocated' }), vm(5, { state: 'deallocated' })]);
    expect(decide(policy({ maxDeallocated: 2 }), o, NOW, {})).toMatchObject({ direction: 'in', delete: ['5'] });
    expect(decide(policy({ maxDeallocated: 3 }), o, NOW, {})).toMatchObject({ direction: 'none', delete: [] });
  });

  it('counts VMs deallocating, and stopped VMs being deallocated now, against the room', () => {
    const deallocating = observation([busy, vm(3, { state: 'deallocated' }), vm(4, { state: 'deallocated' }), vm(6, { state: 'deallocating' })]);
    expect(decide(policy({ maxDeallocated: 2 }), deallocating, NOW, {})).toMatchObject({ direction: 'in', delete: ['4'] });
    const stopped = observation([busy, vm(3, { state: 'deallocated' }), vm(7, { state: 'stopped', sessions: NO_DATA })]);
    expect(decide(policy({ maxDeallocated: 1 }), stopped, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['7'], delete: ['3'] });
  });

  it('parks a stopped VM as a scale-in even with room to spare', () => {
    const o = observation([busy, vm(7, { state: 'stopped', sessions: NO_DATA })]);
    expect(decide(policy({ maxDeallocated: 5 }), o, NOW, {})).toMatchObject({ direction: 'in', deallocate: ['7'], delete: [] });
  });

  it('deletes none while scaling out: the deallocated VMs are what it starts', () => {
    const o = observation([vm(1, { latest: 4, protectFromScaleIn: true }), vm(3, { state: 'deallocated' }), vm(4, { state: 'deallocated' }), vm(5, { state: 'deallocated' })]);
    expect(decide(policy({ maxDeallocated: 0, seatsPerInstance: 4, spareSeats: 1 }), o, NOW, {})).toMatchObject({ direction: 'out', start: ['3'], delete: [] });
  });
});
