// Drain before scale-in (docs/drain.md, "App side"): every VM a plan removes is drained first; only one that counted no
// session of either kind goes, any other answer keeps it (undrained) and the event says why.
import { describe, expect, it } from 'vitest';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import { evaluatePool } from '../../../src/autoscale/evaluate-pool.js';
import type { DrainResult } from '../../../src/autoscale/scale-set.port.js';
import { policy, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

const counted = (ssh: number, jupyter: number, unknown: ('ssh' | 'jupyter')[] = []): DrainResult => ({ ok: true, counts: { ssh, jupyter, unknown } });
/** Two VMs idle for 40 minutes: the default policy removes both. */
const twoIdle = () => new RecordingScaleSet([vm(1, { idleMinutes: 40 }), vm(2, { idleMinutes: 40 })]);

async function evaluate(set: RecordingScaleSet, overrides: Parameters<typeof policy>[0] = {}) {
  const deps = fakeDeps({ [TARGET]: set });
  const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0, ...overrides }), { trigger: 'timer' });
  return { r, event: deps.events.events[0]! };
}

describe('drain before scale-in', () => {
  it('removes VMs whose drain counted 0 sessions', async () => {
    const set = twoIdle();
    const { event } = await evaluate(set);
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 1', 'drain 2', 'deallocate 1,2']);
    expect(event).toMatchObject({ outcome: 'done', actedIn: true, steps: ['drain 1,2', 'deallocate 1,2'] });
  });

  it('keeps and undrains a VM that counted a session the metric had not shown, and never deallocates it', async () => {
    const set = twoIdle();
    set.drainAnswers['2'] = counted(1, 0);
    const { event } = await evaluate(set);
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 1', 'drain 2', 'undrain 2', 'deallocate 1']);
    expect(event.steps).toEqual(['drain 1,2 (kept 2)', 'deallocate 1']);
    expect(event.reason).toMatch(/; kept by the drain: VM 2 had 1 ssh session the metric had not shown yet$/);
  });

  it('records no scale-in when the drain kept every VM, so no cooldown starts', async () => {
    const set = twoIdle();
    set.drainAnswers['1'] = counted(0, 2);
    set.drainAnswers['2'] = counted(0, 0, ['jupyter']);
    const { event } = await evaluate(set);
    expect(set.calls.filter((c) => /deallocate|delete/.test(c))).toEqual([]);
    expect(event).toMatchObject({ outcome: 'done', actedIn: false, steps: ['drain 1,2 (kept 1,2)'] });
    expect(event.reason).toContain('VM 1 had 2 Jupyter sessions the metric had not shown yet; VM 2 could not count its jupyter sessions');
  });

  it.each<[string, () => DrainResult, RegExp]>([
    ['an ARM error', () => { throw new AutoscaleError('ARM_THROTTLED', 'slow down'); }, /VM 1 could not be drained \(ARM_THROTTLED\)/],
    ['a drain that outlived the wait bound', () => { throw new AutoscaleError('ARM_LRO_PENDING', 'still running'); }, /VM 1 could not be drained \(ARM_LRO_PENDING\)/],
    ['an unreadable answer', () => ({ ok: false, error: 'no drain answer on stdout' }), /VM 1 gave no readable drain answer/],
    ['an uncounted kind', () => counted(0, 0, ['ssh']), /VM 1 could not count its ssh sessions/],
    ['sessions of both kinds', () => counted(1, 3), /VM 1 had 1 ssh session and 3 Jupyter sessions the metric had not shown yet/],
    ['both kinds uncounted', () => counted(0, 0, ['ssh', 'jupyter']), /VM 1 could not count its ssh and jupyter sessions/],
  ])('keeps the VM on %s', async (_name, answer, reason) => {
    const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    set.drainAnswers['1'] = answer;
    const { event } = await evaluate(set);
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 1', 'undrain 1']);
    expect(event.reason).toMatch(reason);
  });

  it('keeps the VM when undrain fails too, and says the VM lifts its drain itself', async () => {
    const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    set.drainAnswers['1'] = counted(1, 0);
    set.failOn = { call: 'undrain', error: new AutoscaleError('ARM_CONFLICT', 'busy') };
    const { event } = await evaluate(set);
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 1']);
    expect(event.steps).toEqual(['drain 1 (kept 1)', 'undrain failed for 1 (ARM_CONFLICT); the next evaluation tries again']);
  });

  it('drains only running VMs: a deallocated VM being deleted has no session to count', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { state: 'deallocated' })]);
    const { event } = await evaluate(set, { maxDeallocated: 0 });
    expect(set.calls.some((c) => c.startsWith('drain'))).toBe(false);
    expect(event.steps).toEqual(['delete 2']);
  });

  it('does not drain when the policy turns it off', async () => {
    const set = twoIdle();
    set.drainAnswers['2'] = counted(1, 0);
    await evaluate(set, { drainBeforeScaleIn: false });
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'deallocate 1,2']);
  });

  describe('a removal that fails after the drain leaves no VM drained', () => {
    it.each([
      ['a failed operation', 'ARM_LRO_FAILED'],
      ['throttling (429)', 'ARM_THROTTLED'],
      ['a concurrent operation (409)', 'ARM_CONFLICT'],
      ['Azure unavailable (5xx)', 'ARM_UNAVAILABLE'],
    ] as const)('undrains at once after %s', async (_name, code) => {
      const set = twoIdle();
      set.failOn = { call: 'deallocate', error: new AutoscaleError(code, 'no') };
      const { event } = await evaluate(set);
      expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 1', 'drain 2', 'undrain 1', 'undrain 2']);
      expect(event).toMatchObject({ outcome: 'failed', steps: ['drain 1,2', 'undrain 1,2 (removal failed)'], error: { code } });
      expect(event.drained).toBeUndefined();
    });

    it('leaves a removal that may still take effect drained, and the next evaluation undrains a VM it keeps', async () => {
      const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
      set.failOn = { call: 'deallocate', error: new AutoscaleError('ARM_TIMEOUT', 'abandoned') };
      const deps = fakeDeps({ [TARGET]: set });
      await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
      expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 1']);
      expect(deps.events.events[0]).toMatchObject({ outcome: 'failed', drained: ['1'] });
      // The deallocate never happened; a user is now on VM 1, so this evaluation keeps it and must lift the drain.
      set.failOn = undefined;
      set.calls = [];
      set.instances = [vm(1, { latest: 1 })];
      await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
      expect(set.calls).toEqual(['getCapacity', 'listInstances', 'undrain 1', 'protect 1']);
      expect(deps.events.events[0]).toMatchObject({ outcome: 'done', drained: [] });
      expect(deps.events.events[0]!.steps![0]).toBe('undrain 1 (left drained by an earlier removal that did not happen)');
      // Then nothing is left to undrain, and an evaluation with nothing to do records nothing.
      set.calls = [];
      set.instances = [vm(1, { latest: 1, protectFromScaleIn: true })];
      const third = await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
      expect(third.outcome).toBe('none');
      expect(set.calls).toEqual(['getCapacity', 'listInstances']);
    });

    it('keeps a VM drained while its accepted deallocate runs, and undrains it once the scale set is idle and the VM still runs', async () => {
      const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
      set.failOn = { call: 'deallocate', error: new AutoscaleError('ARM_LRO_PENDING', 'accepted and still running') };
      const deps = fakeDeps({ [TARGET]: set });
      const cooling = policy({ spareSeats: 0, scaleInCooldownMinutes: 10 });
      await evaluatePool(deps, 'pool', cooling, { trigger: 'timer' });
      expect(deps.events.events[0]).toMatchObject({ drained: ['1'], pending: ['deallocate 1'], steps: ['drain 1', 'deallocate 1 (still running)'] });
      // Still Updating (the VM has not even begun to deallocate): nothing is undrained, retried or recorded.
      set.failOn = undefined;
      set.calls = [];
      set.provisioningState = 'Updating';
      expect((await evaluatePool(deps, 'pool', cooling, { trigger: 'timer' })).outcome).toBe('none');
      expect(set.calls).toEqual(['getCapacity', 'listInstances']);
      expect(deps.events.events).toHaveLength(1);
      // The operation failed in Azure: the scale set is idle and the VM still runs, so it takes sessions again.
      set.provisioningState = 'Succeeded';
      set.calls = [];
      await evaluatePool(deps, 'pool', cooling, { trigger: 'timer' });
      expect(set.calls).toEqual(['getCapacity', 'listInstances', 'undrain 1']);
      expect(deps.events.events[0]).toMatchObject({ drained: [], settled: ['deallocate 1: VM 1 running (did not take effect)'] });
    });

    it('a VM left drained whose removal did happen is not undrained', async () => {
      const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
      set.failOn = { call: 'deallocate', error: new AutoscaleError('ARM_LRO_PENDING', 'still running') };
      const deps = fakeDeps({ [TARGET]: set });
      await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
      expect(deps.events.events[0]).toMatchObject({ drained: ['1'], steps: ['drain 1', 'deallocate 1 (still running)'] });
      set.failOn = undefined;
      set.calls = [];
      set.instances = [vm(1, { state: 'deallocated' })];
      await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
      expect(set.calls.filter((c) => c.startsWith('undrain'))).toEqual([]);
    });
  });
});
