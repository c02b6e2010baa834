// planActs: whether carrying out a plan changes anything. Each kind of change alone counts, so a plan that only
// takes a VM's scale-in protection off is still carried out.
import { describe, expect, it } from 'vitest';
import { planActs, type ScalePlan } from '../../../src/autoscale/scale-plan.js';

function plan(change: Partial<ScalePlan> = {}): ScalePlan {
  return {
    pool: 'pool', direction: 'none', start: [], deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 0, warnings: [], reason: '',
    figures: { sessions: 0, demand: 0, floor: 0, floorSource: 'minInstances 0', active: 0, idleForWindow: 0, unknown: 0 },
    ...change,
  };
}

describe('planActs', () => {
  it('is false for a plan that changes nothing', () => {
    expect(planActs(plan())).toBe(false);
  });

  it.each([
    ['start', { start: ['3'] }],
    ['newCapacity', { newCapacity: 2 }],
    ['deallocate', { deallocate: ['2'] }],
    ['delete', { delete: ['2'] }],
    ['protect', { protect: ['1'] }],
    ['unprotect', { unprotect: ['1'] }],
  ] satisfies [string, Partial<ScalePlan>][])('is true for a plan that only changes %s', (_what, change) => {
    expect(planActs(plan(change))).toBe(true);
  });
});
