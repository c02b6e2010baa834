// wakePool(): a wake (POST /wake) or a /connect holds one VM and is evaluated at once; what the caller reads back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AutoscaleError } from '../../../src/autoscale/errors.js';
import type { PolicyRow } from '../../../src/autoscale/policy-store.port.js';
import type { ScaleEvent } from '../../../src/autoscale/scale-event.js';
import { wakePool, whileBusy } from '../../../src/autoscale/wake-pool.js';
import { NOW, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

const CONNECT = 'https://jupyter.example.org/hub';
const row = (fields: Record<string, unknown> = {}): PolicyRow => ({ pool: 'pool', fields: { kind: 'vmss', target: TARGET, wakeHoldMinutes: 45, ...fields } });
const after = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const secondsBefore = (s: number) => new Date(NOW.getTime() - s * 1000);

function wakeEvent(at: Date, kind: ScaleEvent['kind'] = 'wake'): ScaleEvent {
  return { pool: 'pool', at, kind, trigger: 'wake', outcome: 'requested', direction: 'none', requestedBy: 'bob', reason: 'earlier', actedOut: false, actedIn: false, durationMs: 0 } as ScaleEvent;
}

function failedEvent(at: Date, code = 'ARM_THROTTLED', message = 'Azure throttled the request (HTTP 429)'): ScaleEvent {
  return { pool: 'pool', at, kind: 'evaluation', trigger: 'timer', outcome: 'failed', direction: 'none', reason: 'observing failed', actedOut: false, actedIn: false, durationMs: 9000, error: { code, message, step: 'observe' } };
}

function scaleOutEvent(at: Date, plan: { start?: string[]; newCapacity?: number }): ScaleEvent {
  return { pool: 'pool', at, kind: 'evaluation', trigger: 'timer', outcome: 'done', direction: 'out', reason: 'a wake holds one VM', actedOut: true, actedIn: false, durationMs: 800, plan: { start: [], deallocate: [], delete: [], protect: [], unprotect: [], ...plan } as Partial<ScaleEvent['plan']> as ScaleEvent['plan'] };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('wakePool', () => {
  it('refuses a pool whose autoscale is switched off, saying how to switch it on', async () => {
    const set = new RecordingScaleSet([vm(1, { state: 'deallocated' })]);
    const deps = fakeDeps({ [TARGET]: set }, [row({ enabled: false })]);
    const err = await wakePool(deps, 'pool', 'alice', 'wake').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AutoscaleError);
    expect(err).toMatchObject({
      code: 'POOL_DISABLED',
      message: 'Autoscale is switched off for pool "pool" (enabled: false), so it cannot start a VM on request. An admin can enable it with PUT /api/pools/pool/policy.',
    });
    expect(set.calls).toEqual([]);
    expect(deps.events.events).toEqual([]);
  });

  it('starts a deallocated VM, records one wake event naming who asked, and expects it up in 2 minutes', async () => {
    const set = new RecordingScaleSet([vm(3, { state: 'deallocated' })], 1);
    const deps = fakeDeps({ [TARGET]: set }, [row()]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(r).toMatchObject({ pool: 'pool', ready: false, status: 'starting VM 3', expectedReadyAt: after(2) });
    expect(r.readyInstanceId).toBeUndefined();
    expect(r.connectUrl).toBeUndefined();
    expect(set.calls).toContain('start 3');
    const wakes = deps.events.events.filter((e) => e.kind === 'wake');
    expect(wakes).toEqual([
      { pool: 'pool', at: NOW, kind: 'wake', trigger: 'wake', outcome: 'requested', direction: 'none', requestedBy: 'alice', reason: 'alice asked for a VM (wake); holding one for 45 min', actedOut: false, actedIn: false, durationMs: 0 },
    ]);
  });

  it('reads a VM Azure is already starting as starting, though this evaluation starts nothing', async () => {
    const set = new RecordingScaleSet([vm(4, { state: 'starting' })], 1);
    const deps = fakeDeps({ [TARGET]: set }, [row()]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(set.calls.filter((c) => c.startsWith('start'))).toEqual([]);
    expect(r).toMatchObject({ ready: false, status: 'starting VM 4', expectedReadyAt: after(2) });
  });

  it('grows an empty scale set and expects the new VM in 5 minutes', async () => {
    const set = new RecordingScaleSet([], 0);
    const deps = fakeDeps({ [TARGET]: set }, [row()]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(set.calls).toContain('setCapacity 1');
    expect(r).toMatchObject({ ready: false, status: 'creating a new VM', expectedReadyAt: after(5) });
  });

  it('reads a VM Azure is still creating as creating, though this evaluation adds none', async () => {
    const set = new RecordingScaleSet([vm(5, { state: 'creating' }), vm(6, { state: 'deleting' })], 1);
    const deps = fakeDeps({ [TARGET]: set }, [row()]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(set.calls.filter((c) => c.startsWith('setCapacity'))).toEqual([]);
    expect(r).toMatchObject({ ready: false, status: 'creating a new VM', expectedReadyAt: after(5) });
  });

  it('answers ready with the running VM after an evaluation, and passes the pool\'s connectUrl on', async () => {
    const set = new RecordingScaleSet([vm(6, { state: 'deallocated' }), vm(7, { latest: 1 })], 2);
    const deps = fakeDeps({ [TARGET]: set }, [row({ connectUrl: CONNECT })]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(r).toMatchObject({ pool: 'pool', ready: true, readyInstanceId: '7', expectedReadyAt: NOW, status: 'VM 7 is running', connectUrl: CONNECT });
    expect(set.calls[0]).toBe('getCapacity');
  });

  it('says a pool it could not observe failed with the error code and message, promises no time, and asks again in 10 s', async () => {
    const set = new RecordingScaleSet([vm(3, { state: 'deallocated' })], 1);
    set.failOn = { call: 'getCapacity', error: new AutoscaleError('ARM_THROTTLED', 'slow down') };
    const deps = fakeDeps({ [TARGET]: set }, [row()]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(r.evaluation.outcome).toBe('failed');
    expect(r).toMatchObject({
      ready: false,
      status: 'could not start a VM: ARM_THROTTLED (slow down); your wake stands and the next evaluation tries again',
      problem: { code: 'ARM_THROTTLED', message: 'slow down', at: NOW },
      retryAfterSeconds: 10,
    });
    expect(r.expectedReadyAt).toBeUndefined();
  });

  it('while the scale set is busy with another operation, gives the plan\'s reason and expects a VM in 5 minutes', async () => {
    const set = new RecordingScaleSet([vm(3, { state: 'deallocated' })], 1);
    set.provisioningState = 'Updating';
    const deps = fakeDeps({ [TARGET]: set }, [row()]);
    const r = await wakePool(deps, 'pool', 'alice', 'wake');
    expect(set.calls.filter((c) => c.startsWith('start'))).toEqual([]);
    expect(r).toMatchObject({ ready: false, expectedReadyAt: after(5) });
    expect(r.status).toContain('the scale set is still busy with an operation, so waiting for it to finish');
    expect(r.status).toBe(r.evaluation.plan?.reason);
  });

  describe('/connect', () => {
    it('with a VM running and a connectUrl, answers at once: no evaluation, no wake event, no new hold', async () => {
      const set = new RecordingScaleSet([vm(1, { state: 'deallocated' }), vm(2, { latest: 1 })], 2);
      const deps = fakeDeps({ [TARGET]: set }, [row({ connectUrl: CONNECT })]);
      const r = await wakePool(deps, 'pool', 'alice', 'connect');
      expect(r).toEqual({ pool: 'pool', connectUrl: CONNECT, ready: true, readyInstanceId: '2', expectedReadyAt: NOW, status: 'VM 2 is running', evaluation: { pool: 'pool', outcome: 'none' } });
      expect(set.calls).toEqual(['listInstances']);
      expect(deps.events.events).toEqual([]);
    });

    it('with no VM running, records the wake and evaluates', async () => {
      const set = new RecordingScaleSet([vm(1, { state: 'deallocated' })], 1);
      const deps = fakeDeps({ [TARGET]: set }, [row({ connectUrl: CONNECT })]);
      const r = await wakePool(deps, 'pool', 'alice', 'connect');
      expect(r).toMatchObject({ ready: false, status: 'starting VM 1', connectUrl: CONNECT });
      expect(deps.events.events.filter((e) => e.kind === 'wake')).toMatchObject([{ trigger: 'connect', reason: 'alice asked for a VM (connect); holding one for 45 min' }]);
    });

    it('without a connectUrl, evaluates even with a VM running (the caller has nowhere to be sent)', async () => {
      const set = new RecordingScaleSet([vm(2, { latest: 1 })], 1);
      const deps = fakeDeps({ [TARGET]: set }, [row()]);
      const r = await wakePool(deps, 'pool', 'alice', 'connect');
      expect(set.calls[0]).toBe('getCapacity');
      expect(r.evaluation.outcome).not.toBe('busy');
      expect(deps.events.events.filter((e) => e.kind === 'wake')).toHaveLength(1);
    });

    it('a wake (not a connect) with a VM running and a connectUrl still records the wake and evaluates', async () => {
      const set = new RecordingScaleSet([vm(2, { latest: 1 })], 1);
      const deps = fakeDeps({ [TARGET]: set }, [row({ connectUrl: CONNECT })]);
      await wakePool(deps, 'pool', 'alice', 'wake');
      expect(set.calls[0]).toBe('getCapacity');
      expect(deps.events.events.filter((e) => e.kind === 'wake')).toHaveLength(1);
    });
  });

  describe('one wake event a minute', () => {
    it.each([
      [60, 0],
      [30, 0],
      [61, 1],
    ])('an earlier wake %i s ago: %i new wake events', async (ago, added) => {
      const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { state: 'deallocated' })], 1) }, [row()]);
      deps.events.events.push(wakeEvent(secondsBefore(ago)));
      await wakePool(deps, 'pool', 'alice', 'wake');
      expect(deps.events.events.filter((e) => e.kind === 'wake')).toHaveLength(1 + added);
    });

    it('an evaluation event in the last minute does not stand in for a wake', async () => {
      const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { state: 'deallocated' })], 1) }, [row()]);
      deps.events.events.push(wakeEvent(secondsBefore(10), 'evaluation'));
      await wakePool(deps, 'pool', 'alice', 'wake');
      expect(deps.events.events.filter((e) => e.kind === 'wake')).toMatchObject([{ requestedBy: 'alice', at: NOW }]);
    });
  });

  describe('another evaluation holds the lease', () => {
    it('waits for it and evaluates again', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const set = new RecordingScaleSet([vm(3, { state: 'deallocated' })], 1);
      const deps = fakeDeps({ [TARGET]: set }, [row()]);
      deps.leases.held.set('pool', { pool: 'pool', holder: 'other', expiresAt: after(60), version: 'other' });
      const acquire = vi.spyOn(deps.leases, 'acquire');
      const woken = wakePool(deps, 'pool', 'alice', 'wake');
      await vi.advanceTimersByTimeAsync(300 * 2);
      deps.leases.held.delete('pool');
      await vi.runAllTimersAsync();
      const r = await woken;
      expect(r).toMatchObject({ ready: false, status: 'starting VM 3' });
      expect(acquire.mock.calls.length).toBeGreaterThanOrEqual(3);
      expect(acquire.mock.calls.length).toBeLessThanOrEqual(4);
    });

    async function heldThroughout(earlier: ScaleEvent[]) {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const set = new RecordingScaleSet([vm(3, { state: 'deallocated' })], 1);
      const deps = fakeDeps({ [TARGET]: set }, [row()]);
      deps.events.events.push(...earlier);
      deps.leases.held.set('pool', { pool: 'pool', holder: 'other', expiresAt: after(60), version: 'other' });
      const acquire = vi.spyOn(deps.leases, 'acquire');
      const woken = wakePool(deps, 'pool', 'alice', 'wake');
      await vi.runAllTimersAsync();
      return { r: await woken, acquire, set };
    }

    it('gives up after 10 retries and, when the latest evaluations failed with ARM_THROTTLED, says so (not that the pool is coming up)', async () => {
      const { r, acquire, set } = await heldThroughout([wakeEvent(secondsBefore(90)), failedEvent(secondsBefore(20)), failedEvent(secondsBefore(40))]);
      expect(acquire).toHaveBeenCalledTimes(11);
      expect(set.calls).toEqual([]);
      expect(r).toMatchObject({
        ready: false,
        status: 'could not start a VM: the pool\'s latest evaluation (2026-03-02T09:59:40.000Z) failed with ARM_THROTTLED (Azure throttled the request (HTTP 429)); your wake stands and the next evaluation tries again',
        problem: { code: 'ARM_THROTTLED', message: 'Azure throttled the request (HTTP 429)', at: secondsBefore(20) },
        retryAfterSeconds: 10,
        evaluation: { outcome: 'busy' },
      });
      expect(r.expectedReadyAt).toBeUndefined();
    });

    it('says the other evaluation is bringing the pool up only when the latest record is a scale-out', async () => {
      const { r } = await heldThroughout([scaleOutEvent(secondsBefore(60), { newCapacity: 1 })]);
      expect(r).toMatchObject({ ready: false, status: 'another evaluation is bringing the pool up', expectedReadyAt: after(4), evaluation: { outcome: 'busy' } });
      expect(r.retryAfterSeconds).toBeUndefined();
    });

    it('with nothing recorded, says only that another evaluation is running, promising no time', async () => {
      const { r } = await heldThroughout([]);
      expect(r).toMatchObject({ ready: false, status: 'another evaluation of the pool is running and nothing recorded yet says what it does; ask again in a few seconds', retryAfterSeconds: 5 });
      expect(r.expectedReadyAt).toBeUndefined();
      expect(r.problem).toBeUndefined();
    });
  });
});

describe('whileBusy: the answer while another evaluation holds the lease, from the latest recorded evaluation', () => {
  it.each([
    ['a start 30 s ago', scaleOutEvent(secondsBefore(30), { start: ['3'] }), 'another evaluation is bringing the pool up', new Date('2026-03-02T10:01:30Z')],
    ['a new VM 4 min ago', scaleOutEvent(secondsBefore(240), { newCapacity: 2 }), 'another evaluation is bringing the pool up', new Date('2026-03-02T10:01:00Z')],
    ['a start 3 min ago (late)', scaleOutEvent(secondsBefore(180), { start: ['3'] }), 'another evaluation is bringing the pool up', NOW],
    ['a start recorded this very instant', scaleOutEvent(secondsBefore(0), { start: ['3'] }), 'another evaluation is bringing the pool up', new Date('2026-03-02T10:02:00Z')],
  ])('%s: %s, expected by the record\'s time', (_what, latest, status, expected) => {
    expect(whileBusy(latest, NOW)).toEqual({ ready: false, status, expectedReadyAt: expected });
  });

  it.each([
    ['a scale-out 5 min ago (stale)', scaleOutEvent(secondsBefore(300), { newCapacity: 1 })],
    ['a scale-in', { ...scaleOutEvent(secondsBefore(10), {}), direction: 'in', actedOut: false, actedIn: true } as ScaleEvent],
    ['a dry run', { ...scaleOutEvent(secondsBefore(10), { newCapacity: 1 }), outcome: 'dry-run', actedOut: false } as ScaleEvent],
    ['a scale-out plan that started nothing', { ...scaleOutEvent(secondsBefore(10), { start: ['3'] }), actedOut: false } as ScaleEvent],
    ["a scale-out stamped 10 s ahead (another instance's clock)", scaleOutEvent(secondsBefore(-10), { start: ['3'] })],
    ['a failure 60 min ago (over: a failure that goes on is recorded again within the hour)', failedEvent(secondsBefore(3600))],
    ['nothing', undefined],
  ])('%s: no claim that the pool is coming up', (_what, latest) => {
    expect(whileBusy(latest, NOW)).toEqual({ ready: false, status: 'another evaluation of the pool is running and nothing recorded yet says what it does; ask again in a few seconds', retryAfterSeconds: 5 });
  });

  it('an ARM_THROTTLED failure 59 min ago still stands: nothing recorded since', () => {
    expect(whileBusy(failedEvent(secondsBefore(3540)), NOW)).toMatchObject({ problem: { code: 'ARM_THROTTLED', at: new Date('2026-03-02T09:01:00Z') }, retryAfterSeconds: 10 });
  });

  it('an ARM_UNAVAILABLE failure: its code and message, and Retry-After 10', () => {
    expect(whileBusy(failedEvent(secondsBefore(5), 'ARM_UNAVAILABLE', 'Azure answered 503'), NOW)).toEqual({
      ready: false,
      status: 'could not start a VM: the pool\'s latest evaluation (2026-03-02T09:59:55.000Z) failed with ARM_UNAVAILABLE (Azure answered 503); your wake stands and the next evaluation tries again',
      problem: { code: 'ARM_UNAVAILABLE', message: 'Azure answered 503', at: secondsBefore(5) },
      retryAfterSeconds: 10,
    });
  });
});
