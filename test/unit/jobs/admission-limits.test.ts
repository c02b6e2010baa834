// Admission at its boundaries: dependencies (the messages a person reads in waitingFor / reason), the usage a pool
// counts per user, and each fair-share limit at its last allowed and first refused value.
import { describe, expect, it } from 'vitest';
import { checkDependencies, fairShare, fairShareAfterMark, hasUserLimits, usageOf } from '../../../src/jobs/admission.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { gpuJobAt } from './job-records.js';
import { MemoryJobStore, policy } from './memory-ports.js';

const job = gpuJobAt;

describe('checkDependencies', () => {
  const setup = async (...deps: JobRecord[]) => {
    const store = new MemoryJobStore();
    for (const d of deps) await store.create(d);
    return store;
  };
  const dependent = (...ids: string[]) => job('queued', { name: 'train' }, { name: 'train', dependsOn: ids });

  it('lets a job without dependencies go', async () => {
    expect(await checkDependencies(await setup(), job('queued'))).toEqual({ verdict: 'go' });
  });

  it('lets a job go once every dependency succeeded', async () => {
    const a = job('succeeded');
    const b = job('succeeded');
    expect(await checkDependencies(await setup(a, b), dependent(a.id, b.id))).toEqual({ verdict: 'go' });
  });

  it('fails a job whose dependency is gone, or belongs to someone else', async () => {
    const theirs = job('succeeded', { user: 'bob' });
    const store = await setup(theirs);
    for (const id of [theirs.id, '00000000000a-0000000000001-zzzzzz']) {
      expect(await checkDependencies(store, dependent(id))).toEqual({ verdict: 'fail', reason: `dependency ${id} no longer exists; submit again without it` });
    }
  });

  it('fails a job whose dependency failed (with its reason) or was cancelled', async () => {
    const failed = job('failed', { reason: 'exit code 2' });
    const cancelled = job('cancelled');
    const store = await setup(failed, cancelled);
    expect(await checkDependencies(store, dependent(failed.id))).toEqual({
      verdict: 'fail',
      reason: `dependency prep (${failed.id}) failed: exit code 2; this job will not run. Fix it and submit both again`,
    });
    expect(await checkDependencies(store, dependent(cancelled.id))).toEqual({
      verdict: 'fail',
      reason: `dependency prep (${cancelled.id}) cancelled; this job will not run. Fix it and submit both again`,
    });
  });

  it('fails on a failed dependency even when another one still runs', async () => {
    const running = job('running');
    const failed = job('failed');
    expect((await checkDependencies(await setup(running, failed), dependent(running.id, failed.id))).verdict).toBe('fail');
  });

  it('waits naming each unfinished dependency, in singular and plural', async () => {
    const running = job('running');
    const queued = job('queued');
    const done = job('succeeded');
    const store = await setup(running, queued, done);
    expect(await checkDependencies(store, dependent(running.id, done.id))).toEqual({ verdict: 'wait', reason: `waiting for your job prep (${running.id}) is running to succeed` });
    expect(await checkDependencies(store, dependent(running.id, queued.id))).toEqual({
      verdict: 'wait',
      reason: `waiting for your jobs prep (${running.id}) is running; prep (${queued.id}) is queued to succeed`,
    });
  });
});

describe('usageOf', () => {
  it('counts GPUs and tasks of jobs in Batch on this pool, and those still waiting for a node', () => {
    const records = [job('dispatching'), job('dispatched'), job('running', {}, { resources: { gpus: 2 } }), job('cancelling'), job('succeeded'), job('failed')];
    expect(usageOf(records, 'gpu')).toEqual({ gpus: 5, tasks: 4, queued: 2, held: 0 });
  });

  it('leaves out jobs on another pool', () => {
    expect(usageOf([job('running', { pool: 'gpu2' }), job('dispatched', { pool: 'gpu2' })], 'gpu')).toEqual({ gpus: 0, tasks: 0, queued: 0, held: 0 });
  });

  it('counts as held the queued jobs that wait (waitingFor) for this pool, named by the job or its spec', () => {
    const records = [
      job('queued', { waitingFor: 'limit' }, { pool: 'gpu' }),
      job('queued', { waitingFor: 'limit', pool: 'gpu' }),
      job('queued', {}, { pool: 'gpu' }),
      job('queued', { waitingFor: 'limit' }, { pool: 'gpu2' }),
      job('cancelled', { waitingFor: 'limit' }, { pool: 'gpu' }),
    ];
    expect(usageOf(records, 'gpu')).toEqual({ gpus: 0, tasks: 0, queued: 0, held: 2 });
  });
});

describe('hasUserLimits', () => {
  it.each([
    [{ maxRunningGpusPerUser: 0 }, true],
    [{ maxRunningJobsPerUser: 0 }, true],
    [{ maxQueuedJobsPerUser: 0 }, true],
    [{}, false],
  ])('a pool with %j has user limits: %s', (limits, expected) => {
    expect(hasUserLimits(policy('gpu', limits))).toBe(expected);
  });
});

describe('fair share limits at their boundaries', () => {
  it('does not count the job itself among the user’s jobs', () => {
    const self = job('dispatching');
    expect(fairShare(self, policy('gpu', { maxRunningGpusPerUser: 2 }), [self, job('running')]).verdict).toBe('go');
  });

  it('does not hold a CPU-only job by the GPU limit, even when the user is over it', () => {
    const cpuJob = job('queued', {}, { resources: { gpus: 0 } });
    const sweep = job('running', {}, { resources: { gpus: 3 } });
    expect(fairShare(cpuJob, policy('gpu', { maxRunningGpusPerUser: 2 }), [sweep]).verdict).toBe('go');
  });

  it('task limit: the last task that fits goes, the next one waits, saying so', () => {
    const pool = policy('gpu', { maxRunningJobsPerUser: 2 });
    expect(fairShare(job('queued'), pool, [job('running')]).verdict).toBe('go');
    expect(fairShare(job('queued'), pool, [job('running'), job('running')])).toEqual({
      verdict: 'wait',
      reason: "your job limit on pool 'gpu': 2 of 2 task(s) in use; it starts when your own jobs there finish",
    });
  });

  it('queued-job limit: up to the limit wait for a node, the next one waits in dsvm-pool, saying so', () => {
    const pool = policy('gpu', { maxQueuedJobsPerUser: 2 });
    expect(fairShare(job('queued'), pool, [job('dispatched')]).verdict).toBe('go');
    expect(fairShare(job('queued'), pool, [job('dispatched'), job('dispatching')])).toEqual({
      verdict: 'wait',
      reason: "your queued-job limit on pool 'gpu': 2 of 2 job(s) already wait for a node; it goes when one of them starts",
    });
  });

  it('a queued-job limit of 0 still lets one job wait for a node, so none is held forever', () => {
    const pool = policy('gpu', { maxQueuedJobsPerUser: 0 });
    expect(fairShare(job('queued'), pool, [job('running')]).verdict).toBe('go');
    expect(fairShare(job('queued'), pool, [job('dispatched')]).verdict).toBe('wait');
  });
});

describe('fair share after marking dispatching', () => {
  const gpu = policy('gpu', { maxRunningGpusPerUser: 1 });

  it('counts a job already in Batch whenever it was submitted', () => {
    const mine = job('dispatching', {}, {}, 1);
    expect(fairShareAfterMark(mine, gpu, [mine, job('running', {}, {}, 5)]).verdict).toBe('wait');
  });

  it('of two dispatching jobs submitted in the same millisecond, the one with the smaller id goes', () => {
    const a = job('dispatching', {}, {}, 1);
    const b = { ...job('dispatching', {}, {}, 1), id: a.id.replace(/-\d{6}$/, '-zzzzzz') };
    const others = [job('running', { pool: 'gpu' }, { resources: { gpus: 0 } }), a, b];
    expect(fairShareAfterMark(a, gpu, others).verdict).toBe('go');
    expect(fairShareAfterMark(b, gpu, others).verdict).toBe('wait');
  });
});
