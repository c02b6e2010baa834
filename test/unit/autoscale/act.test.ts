// actOn(): the act step over a recording scale set: the steps it reports, what counts as acted, and what stays
// drained when a removal fails.
import { describe, expect, it } from 'vitest';
import { actOn } from '../../../src/autoscale/act.js';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import type { ScalePlan } from '../../../src/autoscale/scale-plan.js';
import type { DrainResult } from '../../../src/autoscale/scale-set.port.js';
import { RecordingScaleSet } from './fakes.js';

function plan(o: Partial<ScalePlan> = {}): ScalePlan {
  return {
    pool: 'pool', direction: 'none', start: [], deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 0, warnings: [], reason: 'test',
    figures: { sessions: 0, demand: 0, floor: 0, floorSource: 'minInstances 0', active: 0, idleForWindow: 0, unknown: 0 },
    ...o,
  };
}
const conflict = () => new AutoscaleError('ARM_CONFLICT', 'another operation is in progress');
const SESSION: DrainResult = { ok: true, counts: { ssh: 1, jupyter: 0, unknown: [] } };

describe('actOn', () => {
  it('scales out first (start, then capacity) and names each step', async () => {
    const set = new RecordingScaleSet();
    const r = await actOn(set, plan({ direction: 'out', start: ['3', '4'], newCapacity: 6 }), {});
    expect(r).toEqual({ steps: ['start 3,4', 'setCapacity 6'], actedOut: true, actedIn: false });
    expect(set.calls).toEqual(['start 3,4', 'setCapacity 6']);
  });

  it('removes, then protects and unprotects; protection alone is no scale action', async () => {
    const set = new RecordingScaleSet();
    expect(await actOn(set, plan({ protect: ['1'], unprotect: ['5'] }), {})).toEqual({ steps: ['protect 1', 'unprotect 5'], actedOut: false, actedIn: false });
    expect(set.calls).toEqual(['protect 1', 'unprotect 5']);
    const r = await actOn(set, plan({ direction: 'in', deallocate: ['2'], delete: ['7', '8'], unprotect: ['5'] }), {});
    expect(r).toEqual({ steps: ['deallocate 2', 'delete 7,8', 'unprotect 5'], actedOut: false, actedIn: true });
  });

  it('a failed removal without a drain undrains nothing', async () => {
    const set = new RecordingScaleSet();
    set.failOn = { call: 'deallocate', error: conflict() };
    const r = await actOn(set, plan({ direction: 'in', deallocate: ['2'] }), {});
    expect(r).toEqual({ steps: [], actedOut: false, actedIn: false, error: { code: 'ARM_CONFLICT', message: 'another operation is in progress', step: 'deallocate 2' } });
    expect(set.calls).toEqual([]);
  });

  it('counts a step abandoned at its wait bound (ARM_TIMEOUT) as acted, so cooldowns stay conservative', async () => {
    const set = new RecordingScaleSet();
    set.failOn = { call: 'start', error: new AutoscaleError('ARM_TIMEOUT', 'gave up waiting') };
    const r = await actOn(set, plan({ direction: 'out', start: ['3'] }), {});
    expect(r).toMatchObject({ steps: [], actedOut: true, actedIn: false, error: { code: 'ARM_TIMEOUT', step: 'start 3' } });
  });

  it('does not count a step that failed outright as acted', async () => {
    const set = new RecordingScaleSet();
    set.failOn = { call: 'start', error: conflict() };
    expect(await actOn(set, plan({ direction: 'out', start: ['3'] }), {})).toMatchObject({ actedOut: false, actedIn: false, error: { code: 'ARM_CONFLICT' } });
  });

  describe('drains', () => {
    it('removes only the VMs the drain found empty and reports those it kept; none kept: no kept list', async () => {
      const set = new RecordingScaleSet();
      set.drainAnswers = { '3': SESSION };
      const r = await actOn(set, plan({ direction: 'in', deallocate: ['2', '3'] }), { drain: ['2', '3'] });
      expect(r.steps).toEqual(['drain 2,3 (kept 3)', 'deallocate 2']);
      expect(r.kept?.map((k) => k.instanceId)).toEqual(['3']);
      const none = await actOn(new RecordingScaleSet(), plan({ direction: 'in', deallocate: ['2'] }), { drain: ['2'] });
      expect(none).toEqual({ steps: ['drain 2', 'deallocate 2'], actedOut: false, actedIn: true });
    });

    it('reports the kept VMs whose undrain failed, and leaves them on the drained list', async () => {
      const set = new RecordingScaleSet();
      set.drainAnswers = { '3': SESSION, '4': SESSION };
      set.failCalls = { 'undrain 3': conflict(), 'undrain 4': new AutoscaleError('ARM_THROTTLED', 'slow down') };
      const r = await actOn(set, plan({ direction: 'in', deallocate: ['3', '4'] }), { drain: ['3', '4'] });
      expect(r.steps).toEqual(['drain 3,4 (kept 3,4)', 'undrain failed for 3 (ARM_CONFLICT), 4 (ARM_THROTTLED); the next evaluation tries again']);
      expect(r.drained).toEqual(['3', '4']);
    });

    it('after a failed removal, undrains the drained VMs, and lists in drain order those whose undrain failed', async () => {
      const set = new RecordingScaleSet();
      set.failOn = { call: 'deallocate', error: conflict() };
      // VM 2's undrain fails after VM 4's: the report still follows the drain order.
      set.failCalls = { 'undrain 2': conflict(), 'undrain 4': conflict() };
      set.callDelays = { 'undrain 2': 20 };
      const r = await actOn(set, plan({ direction: 'in', deallocate: ['2', '3', '4'] }), { drain: ['2', '3', '4'] });
      expect(r.steps).toEqual(['drain 2,3,4', 'undrain 3 (removal failed)', 'undrain failed for 2,4; the next evaluation tries again']);
      expect(r.drained).toEqual(['2', '4']);
      expect(r.actedIn).toBe(false);
    });

    it('after a failed removal whose undrains all fail, reports no undrain as done', async () => {
      const set = new RecordingScaleSet();
      set.failOn = { call: 'deallocate', error: conflict() };
      set.failCalls = { 'undrain 2': conflict() };
      const r = await actOn(set, plan({ direction: 'in', deallocate: ['2'] }), { drain: ['2'] });
      expect(r.steps).toEqual(['drain 2', 'undrain failed for 2; the next evaluation tries again']);
      expect(r.drained).toEqual(['2']);
    });

    it('after a failed removal, undrains all and reports no failure when every undrain works', async () => {
      const set = new RecordingScaleSet();
      set.failOn = { call: 'delete', error: conflict() };
      const r = await actOn(set, plan({ direction: 'in', delete: ['2', '3'] }), { drain: ['2', '3'] });
      expect(r.steps).toEqual(['drain 2,3', 'undrain 2,3 (removal failed)']);
      expect(r.drained).toBeUndefined();
    });

    it.each(['ARM_TIMEOUT', 'ARM_LRO_PENDING'] as const)('leaves the VMs drained when the removal may still happen (%s)', async (code) => {
      const set = new RecordingScaleSet();
      set.failOn = { call: 'deallocate', error: new AutoscaleError(code, 'not finished') };
      const r = await actOn(set, plan({ direction: 'in', deallocate: ['2'] }), { drain: ['2'] });
      expect(r.drained).toEqual(['2']);
      expect(set.calls).toEqual(['drain 2']);
      expect(r.actedIn).toBe(true);
    });

    it('undrains VMs an earlier removal left drained first; one that fails stays listed', async () => {
      const set = new RecordingScaleSet();
      set.failCalls = { 'undrain 7': conflict() };
      const r = await actOn(set, plan({ direction: 'out', start: ['3'] }), { undrain: ['6', '7'] });
      expect(r.steps).toEqual([
        'undrain 6 (left drained by an earlier removal that did not happen)',
        'undrain 7 failed (ARM_CONFLICT); the next evaluation tries again',
        'start 3',
      ]);
      expect(r.drained).toEqual(['7']);
    });
  });
});
