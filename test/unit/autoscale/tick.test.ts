// tick(): every enabled pool, bounded concurrency, per-pool timeout, invalid rows reported and skipped.
import { describe, expect, it, vi } from 'vitest';
import { evaluateWithTimeout, runTick, type TickSummary } from '../../../src/autoscale/tick.js';
import { NOW, policy, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

const SLOW = TARGET.replace('/pool', '/slow');
const OFF = TARGET.replace('/pool', '/off');

describe('runTick', () => {
  it('evaluates enabled pools, skips disabled and batch rows, reports invalid rows once', async () => {
    const fast = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const off = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const deps = fakeDeps({ [TARGET]: fast, [OFF]: off }, [
      { pool: 'fast', fields: { kind: 'vmss', target: TARGET } },
      { pool: 'off', fields: { kind: 'vmss', target: OFF, enabled: false } },
      { pool: 'gpu', fields: { kind: 'batch', poolId: 'gpu' } },
      { pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1 } },
    ]);
    const s = await runTick(deps);
    await runTick(deps);
    expect(s.evaluated.map((e) => `${e.pool}:${e.outcome}`)).toEqual(['fast:done']);
    expect(s.disabled).toEqual(['off']);
    expect(s.invalid).toEqual([{ pool: 'broken', problems: [{ field: 'maxInstances', reason: 'must be at least 1' }] }]);
    expect(off.calls).toEqual([]);
    expect(deps.events.events.filter((e) => e.kind === 'policy-invalid')).toHaveLength(1);
  });

  it('abandons a slow pool after its timeout, records it, and the other pool is not held up', async () => {
    vi.useFakeTimers();
    try {
      const fast = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
      const slow = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
      slow.delayMs = 2_000;
      const deps = fakeDeps({ [TARGET]: fast, [SLOW]: slow }, [
        { pool: 'slow', fields: { kind: 'vmss', target: SLOW } },
        { pool: 'fast', fields: { kind: 'vmss', target: TARGET } },
      ]);
      let summary: TickSummary | undefined;
      void runTick({ ...deps, maxConcurrentPools: 1, poolTimeoutMs: 200 }).then((s) => (summary = s));
      await vi.advanceTimersByTimeAsync(199);
      expect(summary).toBeUndefined();
      expect(fast.calls).toEqual([]); // one pool slot: fast waits for slow
      await vi.advanceTimersByTimeAsync(1); // the bound: 200 ms, long before slow's 2,000 ms answer
      expect(summary?.evaluated.map((e) => `${e.pool}:${e.outcome}`)).toEqual(['slow:failed', 'fast:done']);
      expect(slow.calls).toEqual([]);
      expect(deps.events.events.find((e) => e.pool === 'slow')).toMatchObject({ outcome: 'failed', error: { code: 'EVALUATION_TIMEOUT' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps going when one pool throws', async () => {
    const fast = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const broken = new RecordingScaleSet([]);
    broken.failOn = { call: 'getCapacity', error: Object.assign(new Error('boom'), { code: 'ARM_UNAVAILABLE' }) };
    const deps = fakeDeps({ [TARGET]: fast, [SLOW]: broken }, [
      { pool: 'broken', fields: { kind: 'vmss', target: SLOW } },
      { pool: 'fast', fields: { kind: 'vmss', target: TARGET } },
    ]);
    const s = await runTick(deps);
    expect(s.evaluated.map((e) => `${e.pool}:${e.outcome}`)).toEqual(['broken:failed', 'fast:done']);
  });

  it('runs drains of many pools at once, up to their own bound, not the pool bound; each drain has its own timeout', async () => {
    const sets: Record<string, RecordingScaleSet> = {};
    const rows = [];
    let inFlight = 0;
    let most = 0;
    for (let i = 0; i < 12; i++) {
      const target = TARGET.replace('/pool', `/pool${i}`);
      const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
      set.drain = async (id: string) => {
        set.calls.push(`drain ${id}`);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
        return { ok: true, counts: { ssh: 0, jupyter: 0, unknown: [] } };
      };
      sets[target] = set;
      rows.push({ pool: `p${i}`, fields: { kind: 'vmss', target } });
    }
    const deps = fakeDeps(sets, rows);
    const s = await runTick({ ...deps, maxConcurrentPools: 2, maxConcurrentDrains: 8, poolTimeoutMs: 5_000 });
    expect(s.evaluated.map((e) => e.event?.error?.code ?? e.outcome)).toEqual(Array(12).fill('done'));
    expect(most).toBe(8); // before: at most 2, the pool bound, so 12 pools drained 6 deep
    expect(Object.values(sets).every((set) => set.calls.includes('delete 1'))).toBe(true); // maxDeallocated 0: deleted
  });

  it('abandons a drain after its own timeout and keeps that VM', async () => {
    const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    set.drain = (_id: string, options?: { abortSignal?: AbortSignal }) =>
      new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ARM_TIMEOUT' }))));
    const deps = fakeDeps({ [TARGET]: set }, [{ pool: 'p', fields: { kind: 'vmss', target: TARGET } }]);
    const s = await runTick({ ...deps, drainTimeoutMs: 50, poolTimeoutMs: 5_000 });
    expect(s.evaluated[0]!.event?.reason).toContain('VM 1 could not be drained (ARM_TIMEOUT)');
    expect(set.calls.filter((c) => /deallocate|delete/.test(c))).toEqual([]);
  });
  it('evaluates only the first of two pools on one scale set; the other gets one policy-invalid event naming the first', async () => {
    const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const deps = fakeDeps({ [TARGET]: set }, [
      { pool: 'b', fields: { kind: 'vmss', target: TARGET } },
      { pool: 'a', fields: { kind: 'vmss', target: TARGET } },
    ]);
    const s = await runTick(deps);
    await runTick(deps);
    const reason = 'is the same scale set as pool "a"; two policies on one scale set would fight, so only "a" is managed until one of them changes its target or sets enabled false';
    expect(s.evaluated.map((e) => e.pool)).toEqual(['a']);
    expect(s.invalid).toEqual([{ pool: 'b', problems: [{ field: 'target', reason }] }]);
    expect(deps.events.events.filter((e) => e.pool === 'b')).toEqual([{
      pool: 'b', at: NOW, kind: 'policy-invalid', trigger: 'timer', outcome: 'skipped', direction: 'none',
      reason: `policy row is invalid, pool skipped: target ${reason}`, problems: [{ field: 'target', reason }],
      actedOut: false, actedIn: false, durationMs: 0,
    }]);
  });

  it('names every bad field in the policy-invalid reason, and records the row again when its problems change', async () => {
    const rows = [{ pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1, minInstances: -1 } as Record<string, unknown> }];
    const deps = fakeDeps({}, rows);
    await runTick(deps);
    rows[0]!.fields = { kind: 'vmss', target: TARGET, maxInstances: -1 };
    await runTick(deps);
    await runTick(deps);
    expect(deps.events.events.map((e) => e.reason)).toEqual([
      'policy row is invalid, pool skipped: maxInstances must be at least 1',
      'policy row is invalid, pool skipped: minInstances must be at least 0; maxInstances must be at least 1',
    ]);
  });

  it('logs and goes on when a policy-invalid event cannot be read or written', async () => {
    const set = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const deps = fakeDeps({ [TARGET]: set }, [
      { pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1 } },
      { pool: 'fast', fields: { kind: 'vmss', target: TARGET } },
    ]);
    deps.events.page = async () => { throw new Error('table down'); };
    const s = await runTick(deps);
    expect(s.evaluated.map((e) => `${e.pool}:${e.outcome}`)).toEqual(['fast:done']);
    expect(deps.logs).toContainEqual({ event: 'autoscale.record-failed', pool: 'broken', error: 'Error: table down' });
  });
});

describe('evaluateWithTimeout', () => {
  it('turns an evaluation that throws into a failed result, one event and one autoscale.evaluation log line; a repeat writes no second event', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([]) });
    deps.leases.acquire = async () => { throw new Error('lease table down'); };
    const first = await evaluateWithTimeout(deps, 'p', policy(), { trigger: 'wake' });
    await evaluateWithTimeout(deps, 'p', policy(), { trigger: 'wake' });
    const error = { code: 'INTERNAL', message: 'lease table down' };
    const event = {
      pool: 'p', at: NOW, kind: 'evaluation', trigger: 'wake', outcome: 'failed', direction: 'none',
      reason: 'evaluation failed: lease table down', actedOut: false, actedIn: false, error, durationMs: 200,
    };
    expect(first).toEqual({ pool: 'p', outcome: 'failed', event });
    expect(deps.events.events).toEqual([event]);
    expect(deps.logs).toEqual([
      { event: 'autoscale.evaluation', pool: 'p', trigger: 'wake', outcome: 'failed', error },
      { event: 'autoscale.evaluation', pool: 'p', trigger: 'wake', outcome: 'failed', error },
    ]);
  });

  it('names the evaluation and the bound in the timeout reason', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([]) });
    deps.leases.acquire = () => new Promise(() => undefined);
    const r = await evaluateWithTimeout({ ...deps, poolTimeoutMs: 500 }, 'p', policy(), { trigger: 'timer' });
    expect(r.event?.reason).toBe('evaluation failed: evaluation took longer than 1 s');
  });
});

