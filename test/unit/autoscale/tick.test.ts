// tick(): every enabled pool, bounded concurrency, per-pool timeout, invalid rows reported and skipped.
import { describe, expect, it } from 'vitest';
import { runTick } from '../../../src/autoscale/tick.js';
import { TARGET, vm } from './factories.js';
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
    const fast = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    const slow = new RecordingScaleSet([vm(1, { idleMinutes: 40 })]);
    slow.delayMs = 2_000;
    const deps = fakeDeps({ [TARGET]: fast, [SLOW]: slow }, [
      { pool: 'slow', fields: { kind: 'vmss', target: SLOW } },
      { pool: 'fast', fields: { kind: 'vmss', target: TARGET } },
    ]);
    const s = await runTick({ ...deps, maxConcurrentPools: 1 });
    expect(s.evaluated.map((e) => `${e.pool}:${e.outcome}`)).toEqual(['slow:failed', 'fast:done']);
    expect(deps.events.events.find((e) => e.pool === 'slow')).toMatchObject({ outcome: 'failed', error: { code: 'EVALUATION_TIMEOUT' } });
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
});
