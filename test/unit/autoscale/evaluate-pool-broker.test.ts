// evaluatePool() and the connection broker (SeatBroker port, a recording fake): what it asks before deciding, what it
// hands over after acting, and that a failed view write does not fail the evaluation.
import { describe, expect, it } from 'vitest';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import { evaluatePool } from '../../../src/autoscale/evaluate-pool.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import { minutesBefore, NOW, policy, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet, RecordingSeatBroker } from './fakes.js';

function withBroker(set: RecordingScaleSet) {
  const broker = new RecordingSeatBroker();
  return { broker, deps: { ...fakeDeps({ [TARGET]: set }), broker } };
}

/** One busy VM (4 sessions, protected): with 2 spare seats the plan adds a VM (setCapacity 2). */
const fullPool = () => new RecordingScaleSet([vm(1, { latest: 4, protectFromScaleIn: true })]);

describe('before deciding, the broker', () => {
  it('is asked for its facts with the call\'s abort signal, settling only when the evaluation was asked to', async () => {
    const { broker, deps } = withBroker(fullPool());
    const { signal } = new AbortController();
    await evaluatePool(deps, 'pool', policy({ dryRun: true }), { trigger: 'timer', abortSignal: signal });
    await evaluatePool(deps, 'pool', policy({ dryRun: true }), { trigger: 'connect', abortSignal: signal, settle: true });
    expect(broker.factsCalls.map((c) => [c.pool, c.options.abortSignal === signal, c.options.settle])).toEqual([
      ['pool', true, false],
      ['pool', true, true],
    ]);
    expect(broker.evaluatedCalls.map((c) => c.options.abortSignal === signal)).toEqual([true, true]);
  });

  it('tells it the scale set has been Updating for 40 min: stuck, one failed event, no write', async () => {
    const set = fullPool();
    set.provisioningState = 'Updating';
    const { broker, deps } = withBroker(set);
    broker.seatFacts = { ...broker.seatFacts, scaleSetBusySince: minutesBefore(NOW, 40) };
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.outcome).toBe('failed');
    expect(r.event).toMatchObject({ outcome: 'failed', steps: [], actedOut: false, actedIn: false, error: { code: 'SCALE_SET_STUCK', step: 'act' } });
    expect(r.event?.error?.message).toContain('scale set Updating since 2026-03-02T09:20:00.000Z');
    expect(set.calls).toEqual(['getCapacity', 'listInstances']);
  });

  it('carries the VMs left drained (once each) and the operations still running onto a stuck scale set\'s event', async () => {
    const set = new RecordingScaleSet([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { idleMinutes: 40 })]);
    set.provisioningState = 'Updating';
    const { broker, deps } = withBroker(set);
    broker.seatFacts = { ...broker.seatFacts, scaleSetBusySince: minutesBefore(NOW, 40) };
    deps.events.events.push({
      pool: 'pool', at: minutesBefore(NOW, 5), kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'in', reason: 'earlier',
      actedOut: false, actedIn: true, steps: ['drain 2', 'deallocate 2 (still running)'], drained: ['2'], pending: ['deallocate 2'], durationMs: 5,
    } satisfies ScaleEvent);
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.event).toMatchObject({ outcome: 'failed', error: { code: 'SCALE_SET_STUCK' } });
    expect({ drained: r.event?.drained, pending: r.event?.pending }).toEqual({ drained: ['2'], pending: ['deallocate 2'] });
  });
});

describe('after acting, the broker is handed', () => {
  it('the instances listed again after a scale-out (the new VMs with their ids)', async () => {
    const set = fullPool();
    const { broker, deps } = withBroker(set);
    const added = vm(2, { state: 'creating' });
    const setCapacity = set.setCapacity;
    set.setCapacity = async (n, o) => {
      await setCapacity(n, o);
      set.instances.push(added);
    };
    await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(set.calls).toEqual(['getCapacity', 'listInstances', 'setCapacity 2', 'listInstances']);
    expect(broker.evaluatedCalls).toHaveLength(1);
    expect(broker.evaluatedCalls[0]!.e).toMatchObject({ pool: 'pool', acted: { actedOut: true, steps: ['setCapacity 2'] }, scaleSetMissing: false });
    expect(broker.evaluatedCalls[0]!.e.instancesAfter).toEqual([
      { instanceId: '1', state: 'running', protectFromScaleIn: true },
      { instanceId: '2', state: 'creating', protectFromScaleIn: false },
    ]);
  });

  it.each([
    ['a dry run that would add a VM', fullPool, { dryRun: true }],
    ['a scale-in', () => new RecordingScaleSet([vm(1, { latest: 1, protectFromScaleIn: true }), vm(2, { idleMinutes: 40 })]), { spareSeats: 0 }],
  ])('no instance list after %s (nothing was added)', async (_, pool, overrides) => {
    const set = pool();
    const { broker, deps } = withBroker(set);
    await evaluatePool(deps, 'pool', policy(overrides), { trigger: 'timer' });
    expect(set.calls.filter((c) => c === 'listInstances')).toEqual(['listInstances']);
    expect(broker.evaluatedCalls).toHaveLength(1);
    expect(broker.evaluatedCalls[0]!.e.instancesAfter).toBeUndefined();
  });

  it.each([
    ['the scale set is not found when observed', 'getCapacity', 'NOT_FOUND', true],
    ['observing it is throttled', 'getCapacity', 'ARM_THROTTLED', false],
    ['a scale-out finds it gone', 'setCapacity', 'NOT_FOUND', false],
  ] as const)('scaleSetMissing when %s: %s', async (_, call, code, missing) => {
    const set = fullPool();
    set.failOn = { call, error: new AutoscaleError(code, 'failed') };
    const { broker, deps } = withBroker(set);
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.outcome).toBe('failed');
    expect(broker.evaluatedCalls.map((c) => c.e.scaleSetMissing)).toEqual([missing]);
  });

  it('a view it fails to write is logged, and the evaluation still records its event', async () => {
    const { broker, deps } = withBroker(fullPool());
    broker.evaluatedError = new AutoscaleError('STORAGE_UNAVAILABLE', 'table down');
    const r = await evaluatePool(deps, 'pool', policy(), { trigger: 'timer' });
    expect(r.outcome).toBe('done');
    expect(deps.events.events).toHaveLength(1);
    expect(deps.logs).toContainEqual({ event: 'broker.view-failed', pool: 'pool', error: { code: 'STORAGE_UNAVAILABLE', message: 'table down' } });
  });
});
