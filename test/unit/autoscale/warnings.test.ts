// Health warnings of the status API and scale events: what a person should look at, and only that.
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../../src/autoscale/instance-view.js';
import type { InstanceObservation } from '../../../src/autoscale/observation.js';
import { warningsFor } from '../../../src/autoscale/warnings.js';
import { minutesBefore, NO_DATA, NOW, policy, sessions, vm } from './factories.js';

const views = (vms: InstanceObservation[]) => vms.map((v) => viewOf(v, NOW, 20));
const POOL = policy({ maxInstances: 2, seatsPerInstance: 4, deallocateStoppedAfterMinutes: 15 });

describe('warningsFor', () => {
  it('names running VMs without session data, stopped and failed VMs; nothing for the others', () => {
    const stale = { hasData: true, latest: 1, maxInWindow: 1, firstSampleAt: minutesBefore(NOW, 60), lastSampleAt: minutesBefore(NOW, 10) };
    const w = warningsFor(views([
      vm(1, { latest: 1 }),
      vm(2, { sessions: NO_DATA }),
      vm(3, { sessions: stale }),
      vm(4, { state: 'deallocated' }),
      vm(5, { state: 'starting' }),
      vm(6, { state: 'stopped' }),
      vm(7, { state: 'failed' }),
    ]), NOW, POOL, 2);
    expect(w).toEqual([
      'VM 2: no session data (booting, or its session reporter is not running); counted as busy',
      'VM 3: no session data for 10 min; counted as busy',
      'VM 6: stopped but not deallocated, so still billed for compute; deallocated once stopped for 15 min',
      'VM 7: provisioning failed; it gives no seats',
    ]);
  });

  it('warns of crowding at maxInstances from one session over the seats, counting known sessions of running VMs only', () => {
    const stale = { hasData: true, latest: 5, maxInWindow: 5, firstSampleAt: minutesBefore(NOW, 60), lastSampleAt: minutesBefore(NOW, 10) };
    const pool = [vm(1, { latest: 4 }), vm(2, { latest: 4 }), vm(3, { state: 'deallocated', sessions: sessions({ latest: 5 }) })];
    const crowded = '9 sessions on 8 seats: maxInstances 2 × seatsPerInstance 4 caps the pool, so VMs are crowded; raise maxInstances to add VMs';
    expect(warningsFor(views(pool), NOW, POOL, 2)).toEqual([]);
    expect(warningsFor(views([...pool, vm(4, { sessions: stale })]), NOW, POOL, 2)).toEqual(['VM 4: no session data for 10 min; counted as busy']);
    expect(warningsFor(views([vm(1, { latest: 5 }), vm(2, { latest: 4 })]), NOW, POOL, 2)).toEqual([crowded]);
    expect(warningsFor(views([vm(1, { latest: 5 }), vm(2, { latest: 4 })]), NOW, POOL, 1)).toEqual([]);
  });

  it('warns of more VMs than maxInstances from the first one over', () => {
    expect(warningsFor([], NOW, POOL, 2)).toEqual([]);
    expect(warningsFor([], NOW, POOL, 3)).toEqual(['3 VMs running or starting, above maxInstances 2; only idle VMs are removed']);
  });
});
