import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { batchJobsToRetire, retireBatchJobs } from '../../../src/jobs/retire-batch-jobs.js';
import { RecordingBatch } from './memory-ports.js';

const dec3 = new Date('2026-12-03T10:00:00Z');

function record(state: JobState, submittedAt: string, batchJobId?: string): JobRecord {
  return {
    id: 'x',
    user: 'ann',
    name: 'j',
    spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run' }),
    specHash: 'h',
    state,
    submittedAt,
    updatedAt: submittedAt,
    dispatchAttempts: 0,
    ...(batchJobId ? { batch: { poolId: 'gpu', jobId: batchJobId, taskId: 'job-x' } } : {}),
  };
}

describe('which Batch jobs are retired', () => {
  it.each([
    ['a job of last month that nothing needs', 'dsvmpool-gpu-202611', [], true],
    ['a job of the current month', 'dsvmpool-gpu-202612', [], false],
    ['a job that is not ours', 'nightly-etl-202611', [], false],
    ['a job a running record was dispatched under', 'dsvmpool-gpu-202611', [record('running', '2026-11-30T23:00:00Z', 'dsvmpool-gpu-202611')], false],
    ['a job of a month with a record not dispatched yet (dispatch derives the Batch job from the submit month)', 'dsvmpool-cpu-202611', [record('queued', '2026-11-30T23:59:00Z')], false],
    ['a job whose records are all final', 'dsvmpool-gpu-202611', [record('succeeded', '2026-11-20T10:00:00Z', 'dsvmpool-gpu-202611')], true],
    ['a job of an older month while another pool still runs last month', 'dsvmpool-gpu-202610', [record('running', '2026-11-30T23:00:00Z', 'dsvmpool-cpu-202611')], true],
  ])('%s → retire: %s', (_what, id, records, retire) => {
    expect(batchJobsToRetire([id], records as JobRecord[], dec3)).toEqual(retire ? [id] : []);
  });

  it('waits an hour into the new month, for a submit stamped by a clock running slightly behind', () => {
    expect(batchJobsToRetire(['dsvmpool-gpu-202611'], [], new Date('2026-12-01T00:30:00Z'))).toEqual([]);
    expect(batchJobsToRetire(['dsvmpool-gpu-202611'], [], new Date('2026-12-01T01:00:00Z'))).toEqual(['dsvmpool-gpu-202611']);
  });

  it('matches a dispatched record case-insensitively, as Batch ids are', () => {
    expect(batchJobsToRetire(['DSVMPOOL-gpu-202611'], [record('dispatched', '2026-11-30T10:00:00Z', 'dsvmpool-gpu-202611')], dec3)).toEqual([]);
  });
});

describe('retiring', () => {
  it('terminates a candidate whose tasks have all completed and leaves one with an unfinished task', async () => {
    const batch = new RecordingBatch();
    batch.activeJobs = new Set(['dsvmpool-gpu-202611', 'dsvmpool-cpu-202611', 'dsvmpool-cpu-202612']);
    batch.unfinished.add('dsvmpool-cpu-202611');
    const out = await retireBatchJobs(batch, [], dec3);
    expect(out.terminated).toEqual(['dsvmpool-gpu-202611']);
    expect(batch.terminatedJobs).toEqual(['dsvmpool-gpu-202611']);
    expect(out.calls).toBe(1 + 2 + 1);
  });

  it('reports a failed call as an error and carries on with the other jobs', async () => {
    const batch = new RecordingBatch();
    batch.activeJobs = new Set(['dsvmpool-a-202611', 'dsvmpool-b-202611']);
    const terminate = batch.terminateJob.bind(batch);
    batch.terminateJob = async (id: string, reason: string) => {
      if (id === 'dsvmpool-a-202611') throw new Error('busy');
      return terminate(id, reason);
    };
    const out = await retireBatchJobs(batch, [], dec3);
    expect(out.terminated).toEqual(['dsvmpool-b-202611']);
    expect(out.errors).toMatchObject([{ scope: 'batch job dsvmpool-a-202611' }]);
  });

  it('tells Batch why it terminates (the terminate reason shows in the Batch account)', async () => {
    const batch = new RecordingBatch();
    batch.activeJobs = new Set(['dsvmpool-gpu-202611']);
    const reasons: string[] = [];
    batch.terminateJob = async (_id: string, reason: string) => void reasons.push(reason);
    await retireBatchJobs(batch, [], dec3);
    expect(reasons).toEqual(['dsvm-pool: month over, all tasks completed']);
  });

  it('reports a failed list of Batch jobs as an error of scope "batch jobs" and terminates nothing', async () => {
    const batch = new RecordingBatch();
    const busy = new Error('busy');
    batch.listActiveJobs = async () => {
      throw busy;
    };
    expect(await retireBatchJobs(batch, [], dec3)).toEqual({ terminated: [], calls: 1, errors: [{ scope: 'batch jobs', error: busy }] });
  });
});
