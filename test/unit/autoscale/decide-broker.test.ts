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

  it("starts no VM for a user's second session past their own VM's seats; different people past the seats still grow the pool", () => {
    // Seats 4: VM 0 runs 5 sessions, VM 1 runs 4.
    const p = policy({ seatsPerInstance: 4, spareSeats: 0, maxInstances: 10 });
    // VM 0's report names 4 people, one of them with a notebook and an SSH job (the broker's affinity): 1 shared.
    const affinity = [vm(0, { latest: 5, reported: 5, sharedSessions: 1 }), vm(1, { latest: 4, reported: 4 })];
    const kept = decide(p, observation(affinity, { waiting: 0 }), NOW, {});
    expect(kept.direction).toBe('none');
    expect(kept.figures).toMatchObject({ sessions: 9, overSeats: 1, demand: 2 });
    expect(kept.reason).toMatch(/9 sessions − 1 past their VM's seats/);
    // Someone the broker could not seat is demand: a third VM.
    expect(decide(p, observation(affinity, { waiting: 1 }), NOW, {}).newCapacity).toBe(3);
    // Five different people on VM 0 (a load balancer put the fifth there): all 9 are demand, a third VM for the next.
    const spread = [vm(0, { latest: 5, reported: 5 }), vm(1, { latest: 4, reported: 4 })];
    const grown = decide(p, observation(spread, { waiting: 0 }), NOW, {});
    expect(grown.newCapacity).toBe(3);
    expect(grown.figures.overSeats).toBeUndefined();
    // A shared session on a VM with room is no load past the seats: nothing is taken off.
    const roomy = decide(p, observation([vm(0, { latest: 3, sharedSessions: 1 })]), NOW, {});
    expect(roomy.figures).toMatchObject({ sessions: 3, demand: 1 });
    expect(roomy.figures.overSeats).toBeUndefined();
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
