// The compact observation an event records: one short line per VM, at most 200 of them.
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/autoscale/scale-event.js';
import { NO_DATA, observation, sessions, vm } from './factories.js';

describe('summarize', () => {
  it('writes each VM as id, state, sessions (latest/most in the window) of a running VM, and protection', () => {
    const o = observation([
      vm(0, { sessions: sessions({ latest: 2 }) }),
      vm(1, { sessions: NO_DATA, protectFromScaleIn: true }),
      vm(2, { state: 'deallocated', sessions: sessions({ latest: 3 }) }),
      vm(3, { state: 'starting', protectFromScaleIn: true }),
    ], { capacity: 5, provisioningState: 'Updating' });
    expect(summarize(o)).toEqual({
      capacity: 5,
      provisioningState: 'Updating',
      instances: ['0 running 2/2', '1 running no-data protected', '2 deallocated', '3 starting protected'],
    });
  });

  it('lists 200 VMs and counts the rest', () => {
    const lines = (n: number) => summarize(observation(Array.from({ length: n }, (_, i) => vm(i, { state: 'deallocated' })))).instances;
    expect(lines(200)).toHaveLength(200);
    expect(lines(200)[199]).toBe('199 deallocated');
    const more = lines(203);
    expect(more).toHaveLength(201);
    expect(more.slice(198)).toEqual(['198 deallocated', '199 deallocated', '… 3 more']);
  });
});
