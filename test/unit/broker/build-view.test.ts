// The pool view an evaluation writes: each VM's state (a start Azure accepted makes it "starting"), when it should
// run, its sessions (fresh report first, then the metric), its drain and removal marks, and what the scale set and
// the last evaluation's error were; times first seen are carried from the previous view, never reset.
import { describe, expect, it } from 'vitest';
import type { Evaluated } from '../../../src/autoscale/seat-broker.port.js';
import type { ScalePlan } from '../../../src/autoscale/scale-plan.js';
import { buildPoolView, type ViewInput } from '../../../src/broker/build-view.js';
import type { PoolView, ViewInstance } from '../../../src/broker/pool-view.js';
import type { VmReport } from '../../../src/broker/vm-report.js';
import { NOW, observation, policy, sessions, vm } from '../autoscale/factories.js';

const MIN = 60_000;
const at = (m: number, from = NOW) => new Date(from.getTime() + m * MIN).toISOString();

const plan = (o: Partial<ScalePlan> = {}): ScalePlan => ({
  pool: 'pool', direction: 'none', start: [], deallocate: [], delete: [], protect: [], unprotect: [], targetActive: 1,
  figures: {} as ScalePlan['figures'], warnings: [], reason: 'enough seats', ...o,
}) as ScalePlan;

function evaluated(o: Partial<Evaluated> = {}): Evaluated {
  return { pool: 'pool', policy: policy({ seatsPerInstance: 3, maxInstances: 6 }), now: NOW, observation: observation([vm('0')]), acted: { steps: [], actedOut: false, actedIn: false }, ...o };
}

const build = (e: Partial<Evaluated> = {}, o: Partial<ViewInput> = {}) => buildPoolView({ evaluated: evaluated(e), reports: [], placement: 'depth-first', ...o });
const report = (instanceId: string, o: Partial<VmReport> = {}): VmReport => ({ instanceId, reportedAt: NOW.toISOString(), sessions: [], counts: { jupyter: 0, ssh: 0 }, drained: false, ...o });
const one = (v: PoolView, id: string): ViewInstance => v.instances.find((i) => i.instanceId === id)!;

function previousView(instances: Partial<ViewInstance>[], o: Partial<PoolView> = {}): PoolView {
  return {
    pool: 'pool', writtenAt: at(-1), seatsPerInstance: 3, maxInstances: 6, placement: 'depth-first', reservationMinutes: 10, scaleSet: { provisioningState: 'Succeeded' },
    instances: instances.map((i) => ({ instanceId: '0', state: 'running', sessions: { known: true, count: 0, users: [] }, draining: false, removing: false, endpoints: {}, ...i })),
    ...o,
  };
}

describe('the pool as a whole', () => {
  it('writes the pool, the time, the policy figures, the placement rule and the 10-minute reservation', () => {
    const v = build({}, { placement: 'breadth-first' });
    expect({ ...v, instances: undefined }).toEqual({
      pool: 'pool', writtenAt: NOW.toISOString(), seatsPerInstance: 3, maxInstances: 6, placement: 'breadth-first', reservationMinutes: 10,
      scaleSet: { provisioningState: 'Succeeded' }, instances: undefined,
    });
  });

  it("carries the policy's connect URL when it has one", () => {
    expect(build({ policy: policy({ connectUrl: 'https://hub.example.com' }) }).connectUrl).toBe('https://hub.example.com');
  });

  it.each([
    ['observed now', observation([vm('0')], { provisioningState: 'Updating' }), 'Succeeded', 'Updating'],
    ['the previous view, when observing failed', undefined, 'Deleting', 'Deleting'],
  ])('takes the scale set state from %s', (_from, obs, before, expected) => {
    const v = build({ observation: obs }, { previous: previousView([], { scaleSet: { provisioningState: before } }) });
    expect(v.scaleSet.provisioningState).toBe(expected);
  });

  it('says "Unknown" with neither an observation nor a previous view, and marks a missing scale set', () => {
    expect(build({ observation: undefined, scaleSetMissing: true }).scaleSet).toEqual({ provisioningState: 'Unknown', missing: true });
  });

  it('writes the busy spell observed now, replacing the one carried', () => {
    const v = build({ observation: observation([vm('0')], { provisioningState: 'Updating', busySince: new Date(at(-3)) }) }, { previous: previousView([], { scaleSet: { provisioningState: 'Updating', busySince: at(-40) } }) });
    expect(v.scaleSet).toEqual({ provisioningState: 'Updating', busySince: at(-3) });
  });

  it('ends the busy spell when the scale set is observed not busy', () => {
    const v = build({}, { previous: previousView([], { scaleSet: { provisioningState: 'Updating', busySince: at(-40) } }) });
    expect(v.scaleSet).toEqual({ provisioningState: 'Succeeded' });
  });

  it('keeps the busy spell the previous view saw when observing failed', () => {
    const v = build({ observation: undefined }, { previous: previousView([], { scaleSet: { provisioningState: 'Updating', busySince: at(-40) } }) });
    expect(v.scaleSet).toEqual({ provisioningState: 'Updating', busySince: at(-40) });
  });
});

describe('VM states', () => {
  it('lists VMs in the order listed and leaves out deleting ones', () => {
    const v = build({ observation: observation([vm('2'), vm('0', { state: 'deleting' }), vm('1', { state: 'deallocated' })]) });
    expect(v.instances.map((i) => [i.instanceId, i.state])).toEqual([['2', 'running'], ['1', 'deallocated']]);
  });

  it.each(['deallocated', 'stopped'] as const)('shows a %s VM whose start Azure accepted as starting, ready in 2 minutes', (state) => {
    const v = build({ observation: observation([vm('1', { state })]), plan: plan({ start: ['1'] }), acted: { steps: ['protect 0', 'start 1 (still running)'], actedOut: true, actedIn: false } });
    expect(one(v, '1')).toMatchObject({ state: 'starting', readyAt: at(2) });
  });

  it('leaves a VM deallocated when its start failed (no accepted start step)', () => {
    const v = build({
      observation: observation([vm('1', { state: 'deallocated' })]),
      plan: plan({ start: ['1'] }),
      acted: { steps: ['protect 0'], actedOut: false, actedIn: false, error: { code: 'ARM_THROTTLED', message: 'throttled', step: 'start 1' } },
    });
    expect(one(v, '1').state).toBe('deallocated');
    expect(one(v, '1').readyAt).toBeUndefined();
  });

  it('does not call a VM starting that the plan did not start, nor one already running', () => {
    const v = build({ observation: observation([vm('0'), vm('1', { state: 'deallocated' }), vm('2', { state: 'deallocated' })]), plan: plan({ start: ['0', '1'] }), acted: { steps: ['start 0,1'], actedOut: true, actedIn: false } });
    expect(v.instances.map((i) => i.state)).toEqual(['running', 'starting', 'deallocated']);
  });

  it('lists the VMs seen after a scale-out, with the sessions the observation saw', () => {
    const e = evaluated({ observation: observation([vm('0', { latest: 2 })]), instancesAfter: [{ instanceId: '0', state: 'running', protectFromScaleIn: true }, { instanceId: '1', state: 'creating', protectFromScaleIn: false }] as Evaluated['instancesAfter'] });
    const v = buildPoolView({ evaluated: e, reports: [], placement: 'depth-first' });
    expect(v.instances.map((i) => [i.instanceId, i.state, i.sessions.count, i.readyAt])).toEqual([['0', 'running', 2, undefined], ['1', 'creating', 0, at(5)]]);
  });

  it('marks the VMs the plan deallocates or deletes as removing', () => {
    const v = build({ observation: observation([vm('0'), vm('1'), vm('2')]), plan: plan({ deallocate: ['0'], delete: ['2'] }) });
    expect(v.instances.map((i) => i.removing)).toEqual([true, false, true]);
  });

  it('writes the endpoints known for a VM, and none for the others', () => {
    const endpoints = new Map([['0', { ssh: { address: 'pool.example', port: 50000 } }]]);
    const v = build({ observation: observation([vm('0'), vm('1')]) }, { endpoints });
    expect(v.instances.map((i) => i.endpoints)).toEqual([{ ssh: { address: 'pool.example', port: 50000 } }, {}]);
  });
});

describe('times carried from view to view', () => {
  it('expects a new creating VM in 5 minutes and keeps that time while it is creating', () => {
    const v = build({ observation: observation([vm('3', { state: 'creating' })]) }, { previous: previousView([{ instanceId: '3', state: 'creating', readyAt: at(-1) }]) });
    expect(one(v, '3').readyAt).toBe(at(-1));
    expect(one(build({ observation: observation([vm('3', { state: 'creating' })]) }), '3').readyAt).toBe(at(5));
  });

  it('sets a new expected time when the VM changed state since the previous view', () => {
    const v = build({ observation: observation([vm('3', { state: 'starting' })]) }, { previous: previousView([{ instanceId: '3', state: 'creating', readyAt: at(-1) }]) });
    expect(one(v, '3').readyAt).toBe(at(2));
  });

  it('sets a new expected time when the previous view had none', () => {
    const v = build({ observation: observation([vm('3', { state: 'creating' })]) }, { previous: previousView([{ instanceId: '3', state: 'creating' }]) });
    expect(one(v, '3').readyAt).toBe(at(5));
  });

  it('gives a running VM no expected time, and the time it was first seen running', () => {
    const v = build({ observation: observation([vm('0')]) });
    expect(one(v, '0').readyAt).toBeUndefined();
    expect(one(v, '0').runningSince).toBe(NOW.toISOString());
  });

  it('keeps when a VM was first seen running', () => {
    const v = build({}, { previous: previousView([{ instanceId: '0', state: 'running', runningSince: at(-30) }]) });
    expect(one(v, '0').runningSince).toBe(at(-30));
  });

  it.each([
    ['was starting', { state: 'starting' as const, runningSince: at(-30) }],
    ['has no running-since', { state: 'running' as const }],
  ])('starts the running time now when the previous view %s', (_why, prev) => {
    const v = build({}, { previous: previousView([{ instanceId: '0', ...prev }]) });
    expect(one(v, '0').runningSince).toBe(NOW.toISOString());
  });

  it('gives a VM that is not running and not coming neither time', () => {
    const v = build({ observation: observation([vm('1', { state: 'deallocated' })]) });
    expect(one(v, '1')).not.toHaveProperty('readyAt');
    expect(one(v, '1')).not.toHaveProperty('runningSince');
  });
});

describe('sessions', () => {
  it("takes a fresh, complete report's count and names", () => {
    const users = [{ user: 'ana', kind: 'jupyter' as const }];
    const v = build({ observation: observation([vm('0', { latest: 0 })]) }, { reports: [report('0', { counts: { jupyter: 1, ssh: 1 }, sessions: users })] });
    expect(one(v, '0').sessions).toEqual({ known: true, count: 2, users });
  });

  it('takes the report up to 3 minutes old, and the metric after that', () => {
    const users = [{ user: 'ana', kind: 'ssh' as const }];
    const obs = observation([vm('0', { latest: 2 })]);
    expect(one(build({ observation: obs }, { reports: [report('0', { reportedAt: at(-3), counts: { jupyter: 0, ssh: 1 }, sessions: users })] }), '0').sessions.count).toBe(1);
    const stale = report('0', { reportedAt: new Date(NOW.getTime() - 3 * MIN - 1).toISOString(), counts: { jupyter: 0, ssh: 1 }, sessions: users });
    expect(one(build({ observation: obs }, { reports: [stale] }), '0').sessions).toEqual({ known: true, count: 2, users });
  });

  it('takes the metric count, with the names the report could give, when the report could not count a kind', () => {
    const users = [{ user: 'ana', kind: 'ssh' as const }];
    const v = build({ observation: observation([vm('0', { latest: 3 })]) }, { reports: [report('0', { counts: { ssh: 1 }, sessions: users })] });
    expect(one(v, '0').sessions).toEqual({ known: true, count: 3, users });
  });

  it('does not know the sessions of a VM whose metric stopped, and counts none', () => {
    const v = build({ observation: observation([vm('0', { sessions: { ...sessions({ latest: 2 }), lastSampleAt: new Date(at(-6)) } })]) });
    expect(one(v, '0').sessions).toEqual({ known: false, count: 0, users: [] });
  });

  it('does not know the sessions of a VM listed after a scale-out that the observation did not see', () => {
    const e = evaluated({ observation: observation([]), instancesAfter: [{ instanceId: '1', state: 'running', protectFromScaleIn: false }] as Evaluated['instancesAfter'] });
    expect(buildPoolView({ evaluated: e, reports: [], placement: 'depth-first' }).instances[0]!.sessions).toEqual({ known: false, count: 0, users: [] });
  });
});

describe('draining', () => {
  it.each([
    ['a running VM whose fresh report says drained', 'running', NOW.toISOString(), true, true],
    ['a running VM whose report is just 3 minutes old', 'running', at(-3), true, true],
    ['a running VM whose drained report is stale', 'running', new Date(NOW.getTime() - 3 * MIN - 1).toISOString(), true, false],
    ['a running VM whose report says not drained', 'running', NOW.toISOString(), false, false],
    ['a deallocating VM whose report says drained', 'deallocating', NOW.toISOString(), true, false],
  ] as const)('%s: %s', (_what, state, reportedAt, drained, expected) => {
    const v = build({ observation: observation([vm('0', { state })]) }, { reports: [report('0', { reportedAt, drained })] });
    expect(one(v, '0').draining).toBe(expected);
  });

  it('is false for a running VM without a report', () => {
    expect(one(build(), '0').draining).toBe(false);
  });
});

describe('the problem the admin is told', () => {
  it("writes the evaluation's error with the failed step and what it was trying to do", () => {
    const v = build({ plan: plan({ reason: 'need 1 more seat' }), acted: { steps: [], actedOut: false, actedIn: false, error: { code: 'ARM_LRO_FAILED', message: 'start failed', step: 'start 1' } } });
    expect(v.problem).toEqual({ code: 'ARM_LRO_FAILED', message: 'start failed', at: NOW.toISOString(), step: 'start 1', reason: 'need 1 more seat' });
  });

  it('writes an error without a step or plan as just the error', () => {
    const v = build({ observation: undefined, plan: undefined, acted: { steps: [], actedOut: false, actedIn: false, error: { code: 'ARM_THROTTLED', message: 'slow down', step: '' } } });
    expect(v.problem).toEqual({ code: 'ARM_THROTTLED', message: 'slow down', at: NOW.toISOString() });
  });

  it('writes no problem when the evaluation went well and none is carried', () => {
    expect(build()).not.toHaveProperty('problem');
  });

  const failed = (step: string, code = 'ARM_LRO_FAILED') => previousView([], { problem: { code, message: 'it failed', at: at(-1), step } });

  it.each([
    ['capacity is still below the failed setCapacity', 'setCapacity 3', observation([vm('0'), vm('1')], { capacity: 2 }), true],
    ['capacity reached the failed setCapacity', 'setCapacity 3', observation([vm('0'), vm('1'), vm('2')], { capacity: 3 }), false],
    ['a VM of the failed start is still deallocated', 'start 0,1', observation([vm('0'), vm('1', { state: 'deallocated' })]), true],
    ['a VM of the failed start is not listed', 'start 0,5', observation([vm('0')]), true],
    ['every VM of the failed start is running or starting', 'start 0,1', observation([vm('0'), vm('1', { state: 'starting' })]), false],
  ])('carries a failed growth while %s: %s', (_what, step, obs, carried) => {
    const previous = failed(step);
    const v = build({ observation: obs }, { previous });
    if (carried) expect(v.problem).toBe(previous.problem);
    else expect(v).not.toHaveProperty('problem');
  });

  it.each([
    ['another error code', failed('start 1', 'ARM_THROTTLED')],
    ['a step that is not a growth', failed('deallocate 1')],
    ['a step with more after the ids', failed('start 1 (still running)')],
    ['a step that only ends like a growth', failed('restart 1')],
    ['no step', previousView([], { problem: { code: 'ARM_LRO_FAILED', message: 'it failed', at: at(-1) } })],
  ])('does not carry a previous problem with %s', (_what, previous) => {
    const v = build({ observation: observation([vm('0'), vm('1', { state: 'deallocated' })], { capacity: 1 }) }, { previous });
    expect(v).not.toHaveProperty('problem');
  });

  it('does not carry a failed growth when observing failed', () => {
    expect(build({ observation: undefined }, { previous: failed('setCapacity 9') })).not.toHaveProperty('problem');
  });

  it("replaces a carried problem with this evaluation's own error", () => {
    const v = build({ observation: observation([vm('0')], { capacity: 1 }), acted: { steps: [], actedOut: false, actedIn: false, error: { code: 'ARM_THROTTLED', message: 'slow down', step: 'setCapacity 2' } } }, { previous: failed('setCapacity 3') });
    expect(v.problem).toMatchObject({ code: 'ARM_THROTTLED', step: 'setCapacity 2' });
  });
});

describe('when observing failed', () => {
  const before = previousView([{ instanceId: '4', state: 'running', runningSince: at(-9) }]);

  it("keeps the VMs the previous view knew", () => {
    expect(build({ observation: undefined }, { previous: before }).instances).toBe(before.instances);
  });

  it('lists no VM for a scale set that is gone', () => {
    expect(build({ observation: undefined, scaleSetMissing: true }, { previous: before }).instances).toEqual([]);
  });

  it('lists no VM without a previous view', () => {
    expect(build({ observation: undefined }).instances).toEqual([]);
  });

  it('lists what it observed when observing worked', () => {
    expect(build({}, { previous: before }).instances.map((i) => i.instanceId)).toEqual(['0']);
  });
});
