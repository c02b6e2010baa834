// What evaluatePool() records and logs: a dry run's acted flags (cooldowns are judged from them), the reason of a
// pool it could not observe, the busy log line, and the history it reads the wake hold from.
import { describe, expect, it } from 'vitest';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import { evaluatePool } from '../../../src/autoscale/evaluate-pool.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import { minutesBefore, NOW, policy, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

const busy = () => vm(1, { latest: 4, protectFromScaleIn: true });

describe('a dry run counts what it would have done', () => {
  it.each([
    ['starting a deallocated VM', [busy(), vm(2, { state: 'deallocated' })], {}, { actedOut: true, actedIn: false }],
    ['adding a VM', [busy()], {}, { actedOut: true, actedIn: false }],
    ['deallocating an idle VM', [busy(), vm(2, { idleMinutes: 40 })], { spareSeats: 0 }, { actedOut: false, actedIn: true }],
    ['deleting an idle VM', [busy(), vm(2, { idleMinutes: 40 })], { spareSeats: 0, scaleInAction: 'delete' as const }, { actedOut: false, actedIn: true }],
    ['deallocating one idle VM and deleting another', [busy(), vm(2, { idleMinutes: 40 }), vm(3, { idleMinutes: 40 })], { spareSeats: 0, maxDeallocated: 1 }, { actedOut: false, actedIn: true }],
    ['only protecting a busy VM', [vm(1, { latest: 1 })], {}, { actedOut: false, actedIn: false }],
  ])('%s', async (_, instances, overrides, flags) => {
    const set = new RecordingScaleSet(instances);
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy({ ...overrides, dryRun: true }), { trigger: 'timer' });
    expect(r.outcome).toBe('dry-run');
    expect(deps.events.events[0]).toMatchObject({ outcome: 'dry-run', steps: [], ...flags });
    expect(set.calls).toEqual(['getCapacity', 'listInstances']);
  });
});

describe('recording', () => {
  it('says why a pool could not be observed, in Azure\'s words', async () => {
    const set = new RecordingScaleSet([busy()]);
    set.failOn = { call: 'getCapacity', error: new AutoscaleError('ARM_THROTTLED', 'Too many requests; retry after 20 s') };
    const deps = fakeDeps({ [TARGET]: set });
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.event).toMatchObject({
      outcome: 'failed', direction: 'none', reason: 'could not observe the pool: Too many requests; retry after 20 s',
      error: { code: 'ARM_THROTTLED', step: 'observe' }, actedOut: false, actedIn: false,
    });
    expect(r.plan).toBeUndefined();
  });

  it('records how long the evaluation took, in milliseconds', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([busy(), vm(2, { idleMinutes: 40 })]) });
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
    expect(r.event?.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.event?.durationMs).toBeLessThan(60_000);
  });

  it('logs a busy pool with the trigger and why', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([busy()]) });
    await deps.leases.acquire('pool', 'other', NOW, 60_000);
    await evaluatePool(deps, 'pool', policy(), { trigger: 'connect' });
    expect(deps.logs).toEqual([{ event: 'autoscale.busy', pool: 'pool', trigger: 'connect', message: 'another evaluation holds the pool lease' }]);
  });
});

describe('the history it reads', () => {
  it('reads back far enough to see a wake request within its hold, and keeps a VM for it', async () => {
    const wake: ScaleEvent = {
      pool: 'pool', at: minutesBefore(NOW, 25), kind: 'wake', trigger: 'wake', outcome: 'requested', direction: 'none', requestedBy: 'alice',
      reason: 'alice asked for a VM (wake); holding one for 30 min', actedOut: false, actedIn: false, durationMs: 0,
    } as ScaleEvent;
    const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const deps = fakeDeps({ [TARGET]: set });
    deps.events.events.push(wake);
    const r = await evaluatePool(deps, 'pool', policy({ wakeHoldMinutes: 30, spareSeats: 0 }), { trigger: 'timer' });
    expect(r.plan?.figures).toMatchObject({ floor: 1 });
    expect(r.plan?.deallocate).toEqual([]);
    expect(set.calls.filter((c) => c.startsWith('deallocate'))).toEqual([]);
  });
});

describe('operations an earlier evaluation left running', () => {
  const earlier = (pending: string[]): ScaleEvent => ({
    pool: 'pool', at: minutesBefore(NOW, 1), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'out', reason: 'earlier',
    actedOut: true, actedIn: false, steps: pending.map((p) => `${p} (still running)`), pending, durationMs: 5,
  });

  it('records a start Azure accepted that did not take effect as this evaluation\'s failure, saying how it ended', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 4, protectFromScaleIn: true }), vm(2, { state: 'deallocated' })]);
    const deps = fakeDeps({ [TARGET]: set });
    deps.events.events.push(earlier(['start 2']));
    const r = await evaluatePool(deps, 'pool', policy({ scaleOutCooldownMinutes: 0 }), { trigger: 'timer' });
    expect(r.outcome).toBe('failed');
    expect(r.event).toMatchObject({
      settled: ['start 2: VM 2 deallocated (did not take effect)'],
      error: {
        code: 'ARM_LRO_FAILED', step: 'start 2',
        message: "Azure accepted start 2 and it did not take effect (VM 2 deallocated (did not take effect)); see the scale set's activity log for Azure's reason",
      },
    });
  });

  it('records a start that took effect as settled, with no error', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { state: 'starting' })]);
    const deps = fakeDeps({ [TARGET]: set });
    deps.events.events.push(earlier(['start 2']));
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.event).toMatchObject({ outcome: 'done', settled: ['start 2: VM 2 starting'] });
    expect(r.event?.error).toBeUndefined();
  });
});

describe('VMs an earlier evaluation left drained', () => {
  const leftDrained = (drained: string[]): ScaleEvent => ({
    pool: 'pool', at: minutesBefore(NOW, 5), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'in', reason: 'earlier',
    actedOut: false, actedIn: true, steps: [`drain ${drained.join(',')}`], drained, durationMs: 5,
  });
  const oneBusy = () => vm(1, { latest: 1, protectFromScaleIn: true });

  it('records the list emptied once their removal took effect', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([oneBusy(), vm(2, { state: 'deallocated' })]) });
    deps.events.events.push(leftDrained(['2']));
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.outcome).toBe('done');
    expect(r.event).toMatchObject({ outcome: 'done', steps: [], drained: [] });
  });

  it('records the shorter list when one removal took effect and the other is still under way', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([oneBusy(), vm(2, { state: 'deallocating' }), vm(3, { state: 'deallocated' })]) });
    deps.events.events.push(leftDrained(['2', '3']));
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.event).toMatchObject({ outcome: 'done', steps: [], drained: ['2'] });
  });

  it('records an undrain that failed, with nothing else to do, and keeps the VM on the list', async () => {
    // VM 2 was drained for a removal that did not happen: it runs, and the plan keeps it.
    const set = new RecordingScaleSet([oneBusy(), vm(2, { latest: 1, protectFromScaleIn: true })]);
    set.failCalls['undrain 2'] = new AutoscaleError('ARM_CONFLICT', 'busy');
    const deps = fakeDeps({ [TARGET]: set });
    deps.events.events.push(leftDrained(['2']));
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.plan).toMatchObject({ start: [], deallocate: [], delete: [], protect: [], unprotect: [] });
    expect(r.event).toMatchObject({ outcome: 'done', steps: ['undrain 2 failed (ARM_CONFLICT); the next evaluation tries again'], drained: ['2'] });
  });

  it('lists a VM still being deallocated before the one this evaluation drained for its own removal', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 4, protectFromScaleIn: true }), vm(2, { state: 'deallocating' }), vm(3, { idleMinutes: 40 })]);
    set.failOn = { call: 'deallocate', error: new AutoscaleError('ARM_LRO_PENDING', 'still running') };
    const deps = fakeDeps({ [TARGET]: set });
    deps.events.events.push(leftDrained(['2']));
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0, scaleInCooldownMinutes: 0 }), { trigger: 'timer' });
    expect(r.event).toMatchObject({ outcome: 'done', steps: ['drain 3', 'deallocate 3 (still running)'], pending: ['deallocate 3'], drained: ['2', '3'] });
  });
});

describe('its own failure and an earlier one', () => {
  it('records this evaluation\'s own error when an earlier start also did not take effect (the earlier one stays in settled)', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 4, protectFromScaleIn: true }), vm(2, { state: 'deallocated' })]);
    set.failOn = { call: 'start', error: new AutoscaleError('ARM_CONFLICT', 'another operation is in progress') };
    const deps = fakeDeps({ [TARGET]: set });
    deps.events.events.push({
      pool: 'pool', at: minutesBefore(NOW, 1), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'out', reason: 'earlier',
      actedOut: true, actedIn: false, steps: ['start 2 (still running)'], pending: ['start 2'], durationMs: 5,
    });
    const r = await evaluatePool(deps, 'pool', policy({ scaleOutCooldownMinutes: 0 }), { trigger: 'timer' });
    expect(r.event).toMatchObject({
      outcome: 'failed', settled: ['start 2: VM 2 deallocated (did not take effect)'],
      error: { code: 'ARM_CONFLICT', step: 'start 2', message: 'another operation is in progress' },
    });
  });
});

describe('reads of the event log', () => {
  it('an evaluation that took effect appends its event without reading the newest one first (only failures and dry runs may repeat)', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([busy(), vm(2, { idleMinutes: 40 })]) });
    let pageReads = 0;
    const page = deps.events.page.bind(deps.events);
    deps.events.page = (pool, o) => {
      pageReads += 1;
      return page(pool, o);
    };
    const r = await evaluatePool(deps, 'pool', policy({ spareSeats: 0 }), { trigger: 'timer' });
    expect(r.outcome).toBe('done');
    expect({ pageReads, appended: deps.events.events.length }).toEqual({ pageReads: 0, appended: 1 });
  });
});
