import { describe, expect, it } from 'vitest';
import { sizePool } from '../../../src/jobs/pool-sizing.js';
import { policy } from './memory-ports.js';

const gpu = policy('gpu', { maxNodes: 3, idleMinutesBeforeScaleDown: 10 });
const pool = (target: number, allocationState = 'steady') => ({ id: 'gpu', allocationState, currentDedicatedNodes: target, targetDedicatedNodes: target, resizeErrors: [] });
const t = (min: number) => new Date(Date.UTC(2026, 10, 28, 10, min));

describe('Batch pool sizing', () => {
  it('starts nodes at once when a job arrives at an empty pool', () => {
    expect(sizePool(gpu, pool(0), { activeJobs: 1, slots: 1 }, undefined, t(0))).toMatchObject({ action: 'resize', targetDedicatedNodes: 1 });
  });

  it('never goes above maxNodes', () => {
    expect(sizePool(gpu, pool(1), { activeJobs: 9, slots: 9 }, undefined, t(0))).toMatchObject({ action: 'resize', targetDedicatedNodes: 3 });
  });

  it('never shrinks while a job is active on the pool', () => {
    expect(sizePool(gpu, pool(3), { activeJobs: 1, slots: 1 }, t(0).toISOString(), t(60))).toMatchObject({ action: 'none' });
  });

  it('waits the idle minutes, then goes back to minNodes', () => {
    const first = sizePool(gpu, pool(2), { activeJobs: 0, slots: 0 }, undefined, t(0));
    expect(first).toMatchObject({ action: 'none', idleSince: t(0).toISOString() });
    expect(sizePool(gpu, pool(2), { activeJobs: 0, slots: 0 }, first.idleSince, t(9))).toMatchObject({ action: 'none' });
    expect(sizePool(gpu, pool(2), { activeJobs: 0, slots: 0 }, first.idleSince, t(10))).toMatchObject({ action: 'resize', targetDedicatedNodes: 0 });
  });

  it('forgets the idle clock when work comes back', () => {
    expect(sizePool(gpu, pool(1), { activeJobs: 1, slots: 1 }, t(0).toISOString(), t(5)).idleSince).toBeUndefined();
  });

  it('leaves a pool that is still resizing alone', () => {
    expect(sizePool(gpu, pool(0, 'resizing'), { activeJobs: 1, slots: 1 }, undefined, t(0))).toMatchObject({ action: 'none' });
  });

  it('asks again for nodes a failed resize did not get (Batch leaves the target and does not retry)', () => {
    const failed = { id: 'gpu', allocationState: 'steady', currentDedicatedNodes: 1, targetDedicatedNodes: 2, resizeErrors: [{ code: 'AllocationFailed' }] };
    expect(sizePool(gpu, failed, { activeJobs: 2, slots: 2 }, undefined, t(0))).toMatchObject({ action: 'resize', targetDedicatedNodes: 2 });
    expect(sizePool(gpu, { ...failed, resizeErrors: [] }, { activeJobs: 2, slots: 2 }, undefined, t(0))).toMatchObject({ action: 'none' });
  });

  it('counts nodes as the jobs\' slots over the task slots per node, rounded up', () => {
    const fourSlots = { ...gpu, maxNodes: 10, taskSlotsPerNode: 4 };
    expect(sizePool(fourSlots, pool(0), { activeJobs: 5, slots: 5 }, undefined, t(0))).toEqual({
      action: 'resize',
      targetDedicatedNodes: 2,
      reason: '5 job(s) need 5 slot(s): 0 → 2 nodes (max 10)',
    });
    expect(sizePool(fourSlots, pool(2), { activeJobs: 8, slots: 8 }, undefined, t(0))).toEqual({ action: 'none', reason: '8 job(s) active; 2 node(s) suffice' });
  });

  it('says what it wanted of a pool that is still resizing', () => {
    expect(sizePool(gpu, pool(0, 'resizing'), { activeJobs: 1, slots: 1 }, undefined, t(0))).toEqual({
      action: 'none',
      reason: 'pool is resizing; wanted 1 nodes (1 job(s) need 1 slot(s): 0 → 1 nodes (max 3))',
      idleSince: undefined,
    });
  });

  it('grows an idle pool below minNodes to minNodes at once, keeping the idle clock, and leaves one at minNodes', () => {
    const kept = { ...gpu, minNodes: 2 };
    expect(sizePool(kept, pool(1), { activeJobs: 0, slots: 0 }, t(0).toISOString(), t(1))).toEqual({
      action: 'resize',
      targetDedicatedNodes: 2,
      reason: 'below minNodes 2',
      idleSince: t(0).toISOString(),
    });
    expect(sizePool(kept, pool(2), { activeJobs: 0, slots: 0 }, t(0).toISOString(), t(30))).toEqual({ action: 'none', reason: 'idle at minNodes 2', idleSince: t(0).toISOString() });
  });

  it('never resizes a pool idle at minNodes 0, however long it has been idle', () => {
    expect(sizePool(gpu, pool(0), { activeJobs: 0, slots: 0 }, t(0).toISOString(), t(30))).toEqual({ action: 'none', reason: 'idle at minNodes 0', idleSince: t(0).toISOString() });
  });

  it('says how long the pool has been idle, before and when it shrinks', () => {
    const since = t(0).toISOString();
    expect(sizePool(gpu, pool(2), { activeJobs: 0, slots: 0 }, since, t(9))).toEqual({ action: 'none', reason: 'idle for 9 of 10 min', idleSince: since });
    expect(sizePool(gpu, pool(2), { activeJobs: 0, slots: 0 }, since, t(10))).toEqual({
      action: 'resize',
      targetDedicatedNodes: 0,
      reason: 'no job for 10 min (≥ 10): 2 → 0 nodes',
      idleSince: since,
    });
  });
});
