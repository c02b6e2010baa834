// A scale set busy with someone else's operation: autoscale holds off, and past STUCK_UPDATING_MINUTES says so once.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/autoscale/decide.js';
import { busySinceOf, isStuck, STUCK_UPDATING_MINUTES } from '../../../src/autoscale/scale-set-busy.js';
import { planActs } from '../../../src/autoscale/scale-plan.js';
import { minutesBefore, NOW, observation, policy } from './factories.js';

describe('a busy scale set', () => {
  it.each([
    ['Succeeded', undefined, undefined],
    ['Updating', undefined, NOW],
    ['updating', minutesBefore(NOW, 12), minutesBefore(NOW, 12)],
    ['Deleting', minutesBefore(NOW, 3), minutesBefore(NOW, 3)],
    ['Creating', NOW, NOW],
    ['Creating', minutesBefore(NOW, -5), NOW], // a carried time after now (another instance's clock) is not believed
  ])('state %s, carried %s → busy since %s', (state, carried, expected) => {
    expect(busySinceOf(state, carried, NOW)).toEqual(expected);
  });

  it(`is stuck only after more than ${STUCK_UPDATING_MINUTES} minutes`, () => {
    expect(isStuck(minutesBefore(NOW, STUCK_UPDATING_MINUTES), NOW)).toBe(false);
    expect(isStuck(minutesBefore(NOW, STUCK_UPDATING_MINUTES + 1), NOW)).toBe(true);
    expect(isStuck(undefined, NOW)).toBe(false);
  });

  it.each([
    [STUCK_UPDATING_MINUTES - 1, 0],
    [STUCK_UPDATING_MINUTES + 1, 1],
  ])('Updating for %i min with a VM wanted: plans nothing, %i stuck warnings', (minutes, warnings) => {
    const since = minutesBefore(NOW, minutes);
    const plan = decide(policy({ minInstances: 1 }), { ...observation([]), provisioningState: 'Updating', busySince: since }, NOW, {});
    expect(planActs(plan)).toBe(false);
    expect(plan.figures.heldBy).toBe('scale-set-busy');
    expect(plan.warnings.filter((w) => w.startsWith(`scale set Updating since ${since.toISOString()}`))).toHaveLength(warnings);
  });
});
