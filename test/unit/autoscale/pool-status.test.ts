// GET /api/pools: every vmss pool from one read of the policy table; an invalid row shows why instead of a status.
import { describe, expect, it } from 'vitest';
import { listPoolStatuses, poolStatus } from '../../../src/autoscale/pool-status.js';
import type { CallOptions } from '../../../src/autoscale/scale-set.port.js';
import { minutesBefore, NO_DATA, NOW, policy, TARGET, vm } from './factories.js';
import { fakeDeps, RecordingScaleSet } from './fakes.js';

describe('listPoolStatuses', () => {
  it('lists vmss pools from the listed rows, showing an invalid row as POLICY_INVALID', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { idleMinutes: 0 })]) }, [
      { pool: 'ok', fields: { kind: 'vmss', target: TARGET } },
      { pool: 'gpu', fields: { kind: 'batch', poolId: 'gpu' } },
      { pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1 } },
    ]);
    let gets = 0;
    const policies = { ...deps.policies, get: (pool: string) => (gets++, deps.policies.get(pool)) };
    const list = await listPoolStatuses({ ...deps, policies });
    expect(list.map((s) => s.pool)).toEqual(['ok', 'broken']);
    expect(list[0]).toMatchObject({ pool: 'ok', enabled: true, capacity: 1, instances: [{ instanceId: '1', state: 'running' }] });
    expect(list[1]).toMatchObject({ pool: 'broken', enabled: false, error: { code: 'POLICY_INVALID', message: expect.stringContaining('maxInstances must be at least 1') } });
    expect(gets).toBe(0);
  });
  it('shows a row that cannot be read as a policy with its error and nothing else', async () => {
    const deps = fakeDeps({}, [
      { pool: 'broken', fields: { kind: 'vmss', target: TARGET, maxInstances: -1 } },
      { pool: 'untargeted', fields: { kind: 'vmss' } },
    ]);
    const list = await listPoolStatuses(deps);
    expect(list[0]).toEqual({
      pool: 'broken', target: TARGET, enabled: false, dryRun: false, warnings: [],
      error: { code: 'POLICY_INVALID', message: 'The policy of pool "broken" is invalid, so the pool is not managed: maxInstances must be at least 1. An admin fixes it with PUT /api/pools/broken/policy.' },
    });
    expect(list[1]).toMatchObject({ pool: 'untargeted', target: '', enabled: false, dryRun: false, warnings: [] });
  });

  it('warns the second pool on a shared scale set that it is not managed, from the one read of the rows', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { idleMinutes: 0 })]) }, [
      { pool: 'b', fields: { kind: 'vmss', target: TARGET } },
      { pool: 'a', fields: { kind: 'vmss', target: TARGET } },
    ]);
    let lists = 0;
    const policies = { ...deps.policies, list: () => (lists++, deps.policies.list()) };
    const list = await listPoolStatuses({ ...deps, policies });
    expect(lists).toBe(1);
    expect(list.map((s) => [s.pool, s.warnings])).toEqual([
      ['b', ['not managed: target is the same scale set as pool "a"; two policies on one scale set would fight, so only "a" is managed until one of them changes its target or sets enabled false']],
      ['a', []],
    ]);
  });
});

describe('poolStatus', () => {
  const shared = [
    { pool: 'b', fields: { kind: 'vmss', target: TARGET } },
    { pool: 'a', fields: { kind: 'vmss', target: TARGET } },
  ];
  const notManaged = (keeper: string) =>
    `not managed: target is the same scale set as pool "${keeper}"; two policies on one scale set would fight, so only "${keeper}" is managed until one of them changes its target or sets enabled false`;

  it('reads the rows itself to find a pool sharing its scale set when the caller did not', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { idleMinutes: 0 })]) }, shared);
    expect((await poolStatus(deps, 'b')).warnings).toEqual([notManaged('a')]);
    expect((await poolStatus(deps, 'a')).warnings).toEqual([]);
  });

  it('takes the sharing pool the caller read', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { idleMinutes: 0 })]) }, []);
    expect((await poolStatus(deps, 'c', policy(), 'z')).warnings).toEqual([notManaged('z')]);
    expect((await poolStatus(deps, 'c', policy(), null)).warnings).toEqual([]);
  });

  it('adds the warnings of the plan it would make now', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { sessions: NO_DATA })]) }, []);
    expect((await poolStatus(deps, 'c', policy(), 'z')).warnings).toEqual([
      notManaged('z'),
      'VM 1: no session data (booting, or its session reporter is not running); counted as busy',
    ]);
  });

  it('plans with the recent history: a wake 30 minutes ago still holds one VM', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([vm(1, { idleMinutes: 40 })]) }, []);
    await deps.events.append({
      pool: 'c', at: minutesBefore(NOW, 29), kind: 'wake', trigger: 'wake', outcome: 'requested', direction: 'none', reason: 'wake',
      actedOut: false, actedIn: false, durationMs: 0,
    });
    const p = policy({ minInstances: 0, wakeHoldMinutes: 30, scaleInCooldownMinutes: 0 });
    expect((await poolStatus(deps, 'c', p, null)).now).toMatchObject({ direction: 'none', targetActive: 1 });
    deps.events.events[0]!.at = minutesBefore(NOW, 31);
    expect((await poolStatus(deps, 'c', p, null)).now).toMatchObject({ direction: 'in', targetActive: 0 });
  });

  it('bounds the Azure read by the pool timeout and aborts it then', async () => {
    let signal: AbortSignal | undefined;
    const set = new (class extends RecordingScaleSet {
      override async getCapacity(o?: CallOptions) {
        signal = o?.abortSignal;
        return super.getCapacity();
      }
    })([vm(1)]);
    set.delayMs = 1_000;
    const deps = fakeDeps({ [TARGET]: set }, []);
    const s = await poolStatus({ ...deps, poolTimeoutMs: 500 }, 'c', policy(), null);
    expect(s.error).toEqual({ code: 'EVALUATION_TIMEOUT', message: 'reading pool "c" from Azure took longer than 1 s' });
    expect(signal?.aborted).toBe(true);
  });
  it('shows the broker\'s facts (people waiting count as demand), and aborts the broker read with the Azure read at the bound', async () => {
    const deps = fakeDeps({ [TARGET]: new RecordingScaleSet([]) }, []);
    const facts = { reserved: new Map(), waiting: 1, reported: new Map(), runningSince: new Map() };
    const waiting = await poolStatus({ ...deps, broker: { facts: async () => facts, evaluated: async () => undefined } }, 'c', policy({ minInstances: 0 }), null);
    expect(waiting.now).toMatchObject({ direction: 'out', targetActive: 1 });
    let signal: AbortSignal | undefined;
    const hanging = { facts: (_p: string, _pol: unknown, _now: Date, o: { abortSignal?: AbortSignal }) => ((signal = o.abortSignal), new Promise<never>(() => undefined)), evaluated: async () => undefined };
    const s = await poolStatus({ ...deps, broker: hanging, poolTimeoutMs: 200 }, 'c', policy({ minInstances: 0 }), null);
    expect(s.error).toMatchObject({ code: 'EVALUATION_TIMEOUT' });
    expect(signal?.aborted).toBe(true);
  });
});
