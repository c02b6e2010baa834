// Sync's bookkeeping: the report an operator reads (transitions, requeued, rechecked, errors), the requeue grace
// at its boundary, the active index it cleans, and when it may retire Batch jobs of past months.
import { describe, expect, it } from 'vitest';
import { dispatchJob } from '../../../src/jobs/dispatch-job.js';
import { JobsError } from '../../../src/jobs/errors.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { syncJobs } from '../../../src/jobs/sync-jobs.js';
import { MemoryJobStore, RecordingBatch, RecordingQueue, policy, policySource } from './memory-ports.js';

const t = (min: number) => new Date(Date.UTC(2026, 10, 28, 10, min));

async function setup() {
  const store = new MemoryJobStore();
  const batch = new RecordingBatch();
  const queue = new RecordingQueue();
  const policies = policySource(policy('cpu'));
  const deps = { store, batch, queue, policies, remember: () => undefined, requeueAfterMinutes: 5 };
  const submit = async (patch = {}) =>
    (await submitJob({ store, queue }, { user: 'ann', spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run', ...patch }), now: t(0) })).job.id;
  const dispatch = (id: string) => dispatchJob({ store, batch, pools: policies, addTask: async (j, task) => (await batch.addTasks(j, [task]))[0]!, queue, retryMaxSeconds: 300 }, id, t(0));
  return { store, batch, queue, deps, submit, dispatch };
}

describe('sync report', () => {
  it('lists each transition, and counts the jobs still active', async () => {
    const { batch, deps, submit, dispatch } = await setup();
    const [a, b] = [await submit(), await submit()];
    await dispatch(a);
    await dispatch(b);
    batch.taskStates.set(a, { id: `job-${a}`, state: 'running', stateTransitionTime: t(1).toISOString() });
    batch.taskStates.set(b, { id: `job-${b}`, state: 'completed', result: 'success', exitCode: 0, stateTransitionTime: t(1).toISOString() });
    const report = await syncJobs(deps, t(2));
    expect(report.transitions.sort((x, y) => x.to.localeCompare(y.to))).toEqual([
      { jobId: a, from: 'dispatched', to: 'running' },
      { jobId: b, from: 'dispatched', to: 'succeeded' },
    ]);
    expect(report.activeJobs).toBe(1);
    expect(report.requeued).toEqual([]);
    expect(report.rechecked).toEqual([]);
  });

  it('reports a finished cancel as a transition', async () => {
    const { store, deps, submit, dispatch } = await setup();
    const id = await submit();
    await dispatch(id);
    store.poke(id, { state: 'cancelling' });
    expect((await syncJobs(deps, t(1))).transitions).toEqual([{ jobId: id, from: 'cancelling', to: 'cancelled' }]);
  });

  it('says which Batch job could not be listed, and counts the call', async () => {
    const { batch, deps, submit, dispatch } = await setup();
    await dispatch(await submit());
    batch.listTasksChangedSince = async () => Promise.reject(new JobsError('BATCH_THROTTLED', 'ServerBusy'));
    const report = await syncJobs(deps, t(1));
    expect(report.errors).toEqual([{ scope: 'batch job dsvmpool-cpu-202611', code: 'BATCH_THROTTLED', message: 'ServerBusy' }]);
    expect(report.batchListCalls).toBe(1);
  });

  it('says why vanished tasks were not looked for when a Batch job has too many unfinished tasks', async () => {
    const { batch, deps, submit, dispatch } = await setup();
    await dispatch(await submit());
    batch.listUnfinishedTaskIds = async () => ({ ids: new Set<string>(), truncated: true });
    expect((await syncJobs(deps, t(10))).errors).toEqual([
      { scope: 'batch job dsvmpool-cpu-202611', code: 'BATCH_LIST_CAPPED', message: 'more than 10000 unfinished tasks; vanished tasks are not looked for this tick' },
    ]);
  });
});

describe('sync report, more', () => {
  it('lists no transition for a change that keeps the state (a retry Batch made)', async () => {
    const { batch, deps, submit, dispatch } = await setup();
    const id = await submit();
    await dispatch(id);
    batch.taskStates.set(id, { id: `job-${id}`, state: 'running', stateTransitionTime: t(1).toISOString() });
    await syncJobs(deps, t(2));
    batch.taskStates.set(id, { id: `job-${id}`, state: 'running', retryCount: 1, stateTransitionTime: t(3).toISOString() });
    expect((await syncJobs(deps, t(4))).transitions).toEqual([]);
  });

  it('reconciles a dispatching job whose task Batch already runs', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const id = await submit();
    await dispatch(id);
    store.poke(id, { state: 'dispatching', updatedAt: t(1).toISOString() });
    batch.taskStates.set(id, { id: `job-${id}`, state: 'running', stateTransitionTime: t(1).toISOString() });
    expect((await syncJobs(deps, t(2))).transitions).toEqual([{ jobId: id, from: 'dispatching', to: 'running' }]);
  });

  it('says which stranded job could not be re-enqueued', async () => {
    const { queue, deps, submit } = await setup();
    const id = await submit();
    queue.fail = true;
    expect((await syncJobs(deps, t(6))).errors).toEqual([{ scope: `job ${id}`, code: 'STORAGE_UNAVAILABLE', message: 'queue down' }]);
  });

  it('reports a failed listing of Batch jobs to retire', async () => {
    const { batch, deps } = await setup();
    batch.listActiveJobs = async () => Promise.reject(new JobsError('BATCH_UNAVAILABLE', 'Batch 503'));
    expect((await syncJobs(deps, t(1))).errors).toEqual([{ scope: 'batch jobs', code: 'BATCH_UNAVAILABLE', message: 'Batch 503' }]);
  });
});

describe('sync requeue and recheck', () => {
  it('re-enqueues a queued or dispatching job untouched for exactly the grace period, not a minute before, and touches it', async () => {
    const { store, queue, deps, submit } = await setup();
    const [queued, dispatching] = [await submit(), await submit()];
    store.poke(dispatching, { state: 'dispatching' });
    queue.sent = [];
    expect((await syncJobs(deps, t(4))).requeued).toEqual([]);
    const report = await syncJobs(deps, t(5));
    expect(report.requeued.sort()).toEqual([queued, dispatching].sort());
    expect(queue.sent.sort()).toEqual([queued, dispatching].sort());
    expect(store.rows.get(queued)!.record.updatedAt).toBe(t(5).toISOString());
    expect((await syncJobs(deps, t(6))).requeued).toEqual([]);
  });

  it('does not re-enqueue a dispatched job, however old', async () => {
    const { deps, submit, dispatch } = await setup();
    await dispatch(await submit());
    expect((await syncJobs(deps, t(30))).requeued).toEqual([]);
  });

  it('sends a held job to dispatch again every tick instead of re-enqueueing it after the grace', async () => {
    const { store, queue, deps, submit } = await setup();
    const id = await submit();
    store.poke(id, { waitingFor: 'your GPU limit' });
    queue.sent = [];
    const report = await syncJobs(deps, t(30));
    expect(report.requeued).toEqual([]);
    expect(report.rechecked).toEqual([id]);
    expect(queue.sent).toEqual([id]);
  });

  it('says which held job could not be sent again', async () => {
    const { store, queue, deps, submit } = await setup();
    const id = await submit();
    store.poke(id, { waitingFor: 'your GPU limit', updatedAt: t(1).toISOString() });
    queue.fail = true;
    const report = await syncJobs(deps, t(2));
    expect(report.rechecked).toEqual([]);
    expect(report.errors).toEqual([{ scope: `job ${id}`, code: 'STORAGE_UNAVAILABLE', message: 'queue down' }]);
  });
});

describe('sync active index', () => {
  it('drops index rows of final jobs, and of records that never came after 10 minutes (not at 10)', async () => {
    const { store, deps, submit } = await setup();
    const id = await submit();
    store.poke(id, { state: 'cancelled' });
    store.active.set('00000000000a-0000000000001-lost01', t(0).toISOString());
    await syncJobs(deps, t(10));
    expect([...store.active.keys()]).toEqual(['00000000000a-0000000000001-lost01']);
    await syncJobs(deps, new Date(t(10).getTime() + 1));
    expect([...store.active.keys()]).toEqual([]);
  });

  it('reads every active job, more than 16 included', async () => {
    const { deps, submit } = await setup();
    for (let i = 0; i < 20; i++) await submit();
    expect((await syncJobs(deps, t(1))).activeJobs).toBe(20);
  });

  it('retires Batch jobs of past months only when every active job was read', async () => {
    const { store, batch, deps, submit } = await setup();
    const id = await submit();
    batch.activeJobs.add('dsvmpool-cpu-202609');
    const get = store.get.bind(store);
    store.get = async (jobId) => (jobId === id ? Promise.reject(new JobsError('STORAGE_THROTTLED', 'slow down')) : get(jobId));
    const partial = await syncJobs(deps, t(1));
    expect(partial.errors).toEqual([{ scope: `job ${id}`, code: 'STORAGE_THROTTLED', message: 'slow down' }]);
    expect(partial.retiredBatchJobs).toEqual([]);
    store.get = get;
    expect((await syncJobs(deps, t(2))).retiredBatchJobs).toEqual(['dsvmpool-cpu-202609']);
  });
});
