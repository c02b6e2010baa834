// evaluate(): observe → decide → act → record, over recording fakes of the ports.
import { describe, expect, it } from 'vitest';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import { evaluatePool } from '../../../src/autoscale/evaluate-pool.js';
import { NOW, policy, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

const idleAndBusy = () => new RecordingScaleSet([vm(1, { latest: 3 }), vm(2, { idleMinutes: 40 }), vm(3, { state: 'deallocated' })]);

describe('evaluatePool', () => {
  it('carries out the plan in order and records one event with outcome done', async () => {
    const set = idleAndBusy();
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 2', 'deallocate 2', 'protect 1']);
    expect(r.outcome).toBe('done');
    expect(deps.events.events).toHaveLength(1);
    expect(deps.events.events[0]).toMatchObject({ outcome: 'done', direction: 'in', actedIn: true, steps: ['drain 2', 'deallocate 2', 'protect 1'] });
    expect(deps.logs.at(-1)).toMatchObject({ event: 'autoscale.evaluation', outcome: 'done', reason: r.plan!.reason });
  });

  it('records a dry run and calls nothing that writes', async () => {
    const set = idleAndBusy();
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0, dryRun: true }), { trigger: 'timer' });
    expect(set.calls).toEqual(['getCapacity', 'listInstances']);
    expect(r.outcome).toBe('dry-run');
    expect(deps.events.events[0]).toMatchObject({ outcome: 'dry-run', actedIn: true, steps: [] });
  });

  it('records nothing when there is nothing to do', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { latest: 1, protectFromScaleIn: true })]) });
    expect((await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' })).outcome).toBe('none');
    expect(deps.events.events).toEqual([]);
  });

  it('stops at the first failed action and records the error code and the step (and lifts the drain it set)', async () => {
    const set = idleAndBusy();
    set.failOn = { call: 'deallocate', error: new AutoscaleError('ARM_CONFLICT', 'busy') };
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
    expect(r.outcome).toBe('failed');
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 2', 'undrain 2']);
    expect(deps.events.events[0]).toMatchObject({ outcome: 'failed', actedIn: false, error: { code: 'ARM_CONFLICT', step: 'deallocate 2' } });
  });

  it('counts an operation that outlived the wait bound as under way, and leaves the rest for the next evaluation', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 9, protectFromScaleIn: true }), vm(2, { state: 'deallocated' })]);
    set.failOn = { call: 'start', error: new AutoscaleError('ARM_LRO_PENDING', 'still running') };
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.outcome).toBe('done');
    expect(set.calls).toEqual(['getCapacity', 'listInstances']);
    expect(deps.events.events[0]).toMatchObject({ outcome: 'done', actedOut: true, steps: ['start 2 (still running)'] });
  });

  it('records the VM drained for a deallocation still running as left drained, for the next evaluation', async () => {
    const set = idleAndBusy();
    set.failOn = { call: 'deallocate', error: new AutoscaleError('ARM_LRO_PENDING', 'still running') };
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'drain 2']);
    expect(r.event).toMatchObject({ outcome: 'done', actedIn: true, steps: ['drain 2', 'deallocate 2 (still running)'], pending: ['deallocate 2'], drained: ['2'] });
  });

  it.each(['timer', 'wake'] as const)('a %s evaluation asks for operations on VMs without waiting (lroWaitMs 0) and waits, bounded, for protection', async (trigger) => {
    const set = idleAndBusy();
    const deps = fakeDeps({ [TARGET]: set });
    await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger });
    expect(set.lroWaits).toEqual({ 'deallocate 2': 0, 'protect 1': undefined });
  });

  it('does not evaluate a pool whose lease another evaluation holds', async () => {
    const set = idleAndBusy();
    const deps = fakeDeps({ [TARGET]: set });
    await deps.leases.acquire('pool', 'other', NOW, 60_000);
    expect((await evaluatePool(deps, 'pool', policy(), { trigger: 'wake' })).outcome).toBe('busy');
    expect(set.calls).toEqual([]);
  });

  it('takes the pool lease in the name of this app instance, a name of its own per evaluation, and gives it back', async () => {
    const deps = fakeDeps({ [TARGET]: idleAndBusy() });
    const holders: string[] = [];
    const acquire = deps.leases.acquire.bind(deps.leases);
    deps.leases.acquire = (pool, holder, now, ms) => {
      holders.push(holder);
      return acquire(pool, holder, now, ms);
    };
    await evaluatePool(deps, 'pool', policy({ dryRun: true }), { trigger: 'timer' });
    await evaluatePool(deps, 'pool', policy({ dryRun: true }), { trigger: 'wake' });
    expect(holders.map((h) => h.startsWith('test:') && h.length > 'test:'.length)).toEqual([true, true]);
    expect(holders[0]).not.toBe(holders[1]);
    expect(deps.leases.held.size).toBe(0);
  });

  it('judges the lease by the lease clock, not the (simulated) app clock', async () => {
    const set = idleAndBusy();
    const deps = fakeDeps({ [TARGET]: set });
    const wallNow = new Date('2026-11-28T12:00:00Z');
    // Another evaluation took the lease a second ago in wall time; the app clock is hours ahead (60× simulation).
    await deps.leases.acquire('pool', 'other', new Date(wallNow.getTime() - 1_000), 60_000);
    const simulatedDeps = { ...deps, now: () => new Date(wallNow.getTime() + 5 * 3_600_000), leaseNow: () => wallNow };
    expect((await evaluatePool(simulatedDeps, 'pool', policy(), { trigger: 'timer' })).outcome).toBe('busy');
    expect(set.calls).toEqual([]);
  });

  it('honours the cooldown it recorded itself on the next evaluation', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 9, protectFromScaleIn: true })]);
    const deps = fakeDeps({ [TARGET]: set });
    const p = policy({ scaleOutCooldownMinutes: 5, maxScaleOutStep: 1 });
    await evaluatePool(deps, 'pool', p, { trigger: 'timer' });
    await evaluatePool(deps, 'pool', p, { trigger: 'timer' });
    expect(set.calls.filter((c) => c.startsWith('setCapacity'))).toEqual(['setCapacity 2']);
  });

  describe('broken and dry-run pools write on change, not every minute', () => {
    const minutesLater = (n: number) => new Date(NOW.getTime() + n * 60_000);
    async function everyMinute(deps: ReturnType<typeof fakeDeps>, p: ReturnType<typeof policy>, minutes: number[]) {
      for (const m of minutes) {
        deps.now = () => minutesLater(m);
        await evaluatePool(deps, 'pool', p, { trigger: 'timer' });
      }
    }

    it('records an unchanged failure once, again when the error changes, and again after an hour', async () => {
      const set = idleAndBusy();
      set.failOn = { call: 'listInstances', error: new AutoscaleError('ARM_UNAVAILABLE', 'down') };
      const deps = fakeDeps({ [TARGET]: set });
      await everyMinute(deps, policy(), [0, 1, 2, 3]);
      expect(deps.events.events.map((e) => e.error?.code)).toEqual(['ARM_UNAVAILABLE']);
      set.failOn = { call: 'listInstances', error: new AutoscaleError('ARM_THROTTLED', 'slow down') };
      await everyMinute(deps, policy(), [4, 5]);
      expect(deps.events.events.map((e) => e.error?.code)).toEqual(['ARM_THROTTLED', 'ARM_UNAVAILABLE']);
      await everyMinute(deps, policy(), [64, 65]);
      expect(deps.events.events).toHaveLength(3);
    });

    it('records an unchanged dry-run plan once', async () => {
      // Only protection changes: no cooldown holds them, so before this a dry-run pool wrote a row every minute.
      const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { latest: 1 }), vm(2, { latest: 2 })]) });
      await everyMinute(deps, policy({ dryRun: true }), [0, 1, 2, 3, 4]);
      expect(deps.events.events.map((e) => [e.outcome, e.plan?.protect])).toEqual([['dry-run', ['1', '2']]]);
    });
  });
});

