import { describe, expect, it } from 'vitest';
import { describeJobs } from '../../../src/jobs/describe-jobs.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { poolProblem } from '../../../src/jobs/pool-problem.js';
import { syncJobs } from '../../../src/jobs/sync-jobs.js';
import { MemoryJobStore, RecordingBatch, RecordingQueue, policy, policySource } from './memory-ports.js';

const snapshot = (resizeErrors: { code: string }[], current = 0) => ({ id: 'gpu', allocationState: 'steady', currentDedicatedNodes: current, targetDedicatedNodes: current, resizeErrors });

describe('why a pool cannot grow', () => {
  it.each([
    ['AccountCoreQuotaReached', 'ask your admin to raise the Batch core quota for Standard_NC4as_T4_v3'],
    ['AccountLowPriorityCoreQuotaReached', 'raise the Batch core quota'],
    ['AllocationFailed', 'no spare Standard_NC4as_T4_v3 capacity'],
    ['allocationtimedout', 'Azure has no spare Standard_NC4as_T4_v3 capacity in the region just now; sync asks again every tick'],
    ['OverconstrainedAllocationRequest', 'no spare Standard_NC4as_T4_v3 capacity'],
    // Only those three codes exactly: a code that merely contains one gets the general advice.
    ['PreAllocationFailed', "ask your admin to look at the pool's resize errors in the Batch account"],
    ['AllocationFailedForNode', "ask your admin to look at the pool's resize errors in the Batch account"],
    ['SomethingNew', "look at the pool's resize errors"],
  ])('%s → "%s"', (code, advice) => {
    const line = poolProblem(policy('gpu'), snapshot([{ code }]));
    expect(line).toContain(`GPU pool 'gpu' cannot grow (0 node(s) running): ${code} — `);
    expect(line).toContain(advice);
  });

  it('says nothing when the last resize went well', () => {
    expect(poolProblem(policy('gpu'), snapshot([], 2))).toBeUndefined();
  });

  it('names a CPU pool as such', () => {
    expect(poolProblem(policy('cpu'), { ...snapshot([{ code: 'AccountCoreQuotaReached' }]), id: 'cpu' })).toMatch(/^CPU pool 'cpu'/);
  });
});

function record(state: JobState, pool?: string): JobRecord {
  const t = '2026-11-28T10:00:00Z';
  return { id: `id-${state}`, user: 'ann', name: 'j', spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run' }), specHash: 'h', state, pool, submittedAt: t, updatedAt: t, dispatchAttempts: 1 };
}

describe('job views', () => {
  it('carry the pool problem only for jobs waiting to start on that pool, reading each pool once', async () => {
    const store = new MemoryJobStore();
    await store.putPoolState('gpu', { problem: 'GPU pool cannot grow' });
    let reads = 0;
    const counting = { getPoolState: (p: string) => (reads++, store.getPoolState(p)) };
    const views = await describeJobs(counting, [record('dispatched', 'gpu'), record('dispatching', 'gpu'), record('running', 'gpu'), record('dispatched', 'cpu'), record('queued')]);
    expect(views.map((v) => v.waitingFor)).toEqual(['GPU pool cannot grow', 'GPU pool cannot grow', undefined, undefined, undefined]);
    expect(reads).toBe(2);
  });

  it('are shown without the line when the pool state cannot be read', async () => {
    const views = await describeJobs({ getPoolState: async () => Promise.reject(new Error('storage down')) }, [record('dispatched', 'gpu')]);
    expect(views[0]).not.toHaveProperty('waitingFor');
  });
});

describe('sync records the problem on the pool', () => {
  it('writes it when the pool reports a resize error and clears it once a resize goes well', async () => {
    const store = new MemoryJobStore();
    const batch = new RecordingBatch();
    const deps = { store, batch, queue: new RecordingQueue(), policies: policySource(policy('gpu')), remember: () => undefined, requeueAfterMinutes: 5 };
    batch.pools.set('gpu', snapshot([{ code: 'AccountCoreQuotaReached' }]));
    const report = await syncJobs(deps, new Date('2026-11-28T10:00:00Z'));
    expect((await store.getPoolState('gpu')).problem).toContain('AccountCoreQuotaReached');
    expect(report.errors).toMatchObject([{ scope: 'pool gpu', code: 'POOL_CANNOT_GROW' }]);
    batch.pools.set('gpu', snapshot([]));
    await syncJobs(deps, new Date('2026-11-28T10:01:00Z'));
    expect((await store.getPoolState('gpu')).problem).toBeUndefined();
  });
});
