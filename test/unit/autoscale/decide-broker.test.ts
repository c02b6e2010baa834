// decide() with the broker's demand: people waiting and seats held count at once, past the step limit and the
// scale-out cooldown; a VM with a reservation is not idle; a VM with unknown sessions counts as full.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import { minutesBefore, NO_DATA, NOW, observation, policy, vm } from './factories.js';

describe('decide() with broker demand', () => {
  it('asks for every VM a surge of 30 waiting people needs in one evaluation (8 at 4 seats), past maxScaleOutStep 5', () => {
    const plan = decide(policy({ seatsPerInstance: 4, maxScaleOutStep: 5, maxInstances: 20 }), observation([], { waiting: 30 }), NOW, {});
    expect(plan.newCapacity).toBe(8);
    expect(plan.reason).toMatch(/30 people waiting/);
  });

  it('the scale-out cooldown does not hold back VMs for people already waiting', () => {
    const p = policy({ seatsPerInstance: 4, scaleOutCooldownMinutes: 5, maxInstances: 20 });
    const o = observation([vm(0, { state: 'creating', sessions: NO_DATA })], { capacity: 1, waiting: 6 });
    const plan = decide(p, o, NOW, { lastScaleOutAt: minutesBefore(NOW, 1) });
    expect(plan.newCapacity).toBe(2);
    // Without anyone waiting the cooldown still paces ordinary growth.
    const paced = decide(p, observation([vm(0, { latest: 4 })], { capacity: 1 }), NOW, { lastScaleOutAt: minutesBefore(NOW, 1) });
    expect(paced.figures.heldBy).toBe('scale-out-cooldown');
  });

  it('counts reserved seats as demand and keeps a VM with a reservation from being idle', () => {
    const p = policy({ seatsPerInstance: 4, idleMinutesBeforeScaleIn: 10, scaleInCooldownMinutes: 0 });
    const plan = decide(p, observation([vm(0, { latest: 0, idleMinutes: 60, reserved: 1 }), vm(1, { latest: 0, idleMinutes: 60 })], { capacity: 2 }), NOW, {});
    expect(plan.deallocate.concat(plan.delete)).toEqual(['1']);
    expect(plan.figures.reserved).toBe(1);
  });

  it('counts a running VM with unknown sessions as full once it has run past the report delay', () => {
    const p = policy({ seatsPerInstance: 4, spareSeats: 1, maxInstances: 5 });
    const unknown = vm(0, { sessions: NO_DATA, runningSince: minutesBefore(NOW, 20) });
    expect(decide(p, observation([unknown], { capacity: 1 }), NOW, {}).newCapacity).toBe(2);
    // Just booted: its reporter has not posted yet, no extra VM.
    const booting = vm(0, { sessions: NO_DATA, runningSince: minutesBefore(NOW, 1) });
    expect(decide(p, observation([booting], { capacity: 1 }), NOW, {}).direction).toBe('none');
  });
});
