import { describe, expect, it } from 'vitest';
import { cancelJob } from '../../../src/jobs/cancel-job.js';
import { dispatchJob } from '../../../src/jobs/dispatch-job.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { reconcileTask } from '../../../src/jobs/reconcile-task.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { syncJobs } from '../../../src/jobs/sync-jobs.js';
import { MemoryJobStore, RecordingBatch, RecordingQueue, policy, policySource } from './memory-ports.js';

const t = (min: number) => new Date(Date.UTC(2026, 10, 28, 10, min));

async function setup() {
  const store = new MemoryJobStore();
  const batch = new RecordingBatch();
  const queue = new RecordingQueue();
  const policies = policySource(policy('gpu', { idleMinutesBeforeScaleDown: 5 }), policy('cpu'));
  const deps = { store, batch, queue, policies, remember: () => undefined, requeueAfterMinutes: 5 };
  const submit = async (patch = {}) =>
    (await submitJob({ store, queue }, { user: 'ann', spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run', ...patch }), now: t(0) })).job.id;
  const dispatch = (id: string) => dispatchJob({ store, batch, pools: policies, addTask: async (j, task) => (await batch.addTasks(j, [task]))[0]! }, id, t(0));
  return { store, batch, queue, deps, submit, dispatch };
}

describe('sync', () => {
  it('moves jobs through running to succeeded or failed with exit code, times and retries', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const ok = await submit();
    const bad = await submit();
    await dispatch(ok);
    await dispatch(bad);
    batch.taskStates.set(ok, { id: `job-${ok}`, state: 'running', startTime: t(1).toISOString(), stateTransitionTime: t(1).toISOString() });
    await syncJobs(deps, t(2));
    expect(store.rows.get(ok)!.record).toMatchObject({ state: 'running', startTime: t(1).toISOString() });
    batch.taskStates.set(ok, { id: `job-${ok}`, state: 'completed', result: 'success', exitCode: 0, endTime: t(3).toISOString(), stateTransitionTime: t(3).toISOString() });
    batch.taskStates.set(bad, { id: `job-${bad}`, state: 'completed', result: 'failure', exitCode: 3, retryCount: 2, failureCategory: 'usererror', endTime: t(3).toISOString(), stateTransitionTime: t(3).toISOString() });
    const report = await syncJobs(deps, t(4));
    expect(store.rows.get(ok)!.record).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(store.rows.get(bad)!.record).toMatchObject({ state: 'failed', exitCode: 3, retryCount: 2, failureCategory: 'usererror' });
    expect(store.rows.get(bad)!.record.reason).toContain('exited with code 3 after 2 retries');
    expect(report.batchListCalls).toBe(1);
    await syncJobs(deps, t(5));
    expect(store.active.size).toBe(0);
  });

  it('re-enqueues a queued job whose message was lost, only after the grace period', async () => {
    const { queue, deps, submit } = await setup();
    queue.fail = true; // the message is lost: submit indexes the job instead
    const id = await submit();
    queue.fail = false;
    queue.sent = [];
    await syncJobs(deps, t(2));
    expect(queue.sent).toEqual([]);
    await syncJobs(deps, t(6));
    expect(queue.sent).toEqual([id]);
  });

  it('takes a GPU pool from 0 to nodes within one tick and back to 0 after the idle minutes', async () => {
    const { batch, deps, submit, dispatch } = await setup();
    const id = await submit({ resources: { gpus: 1 } });
    await dispatch(id);
    await syncJobs(deps, t(0));
    expect(batch.resizes).toEqual([{ poolId: 'gpu', target: 1 }]);
    batch.taskStates.set(id, { id: `job-${id}`, state: 'completed', result: 'success', exitCode: 0, stateTransitionTime: t(1).toISOString() });
    await syncJobs(deps, t(2));
    await syncJobs(deps, t(6));
    expect(batch.resizes.length).toBe(1);
    await syncJobs(deps, t(8));
    expect(batch.resizes.at(-1)).toEqual({ poolId: 'gpu', target: 0 });
  });

  it('finishes a cancel that could not reach Batch', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const id = await submit();
    await dispatch(id);
    const terminate = batch.terminateTask.bind(batch);
    batch.terminateTask = async () => Promise.reject(new Error('busy'));
    expect((await cancelJob({ store, batch }, id, { user: 'ann', isAdmin: false }, t(1))).state).toBe('cancelling');
    batch.terminateTask = terminate;
    await syncJobs(deps, t(2));
    expect(store.rows.get(id)!.record.state).toBe('cancelled');
    expect(batch.terminated).toEqual([`job-${id}`]);
  });
});

describe('reconcile', () => {
  const base = { id: 'x', state: 'dispatched' } as never;
  it('names a timeout as a timeout', () => {
    const r = reconcileTask(base, { id: 'job-x', state: 'completed', result: 'failure', exitCode: 1, failureCode: 'MaxWallClockTimeExceeded' }, t(0));
    expect(r).toMatchObject({ state: 'failed' });
    expect(r!.reason).toContain('timeout');
  });
  it('changes nothing when the task is where the record says', () => {
    expect(reconcileTask({ ...(base as object), state: 'running', startTime: 'a' } as never, { id: 'job-x', state: 'running', startTime: 'a' }, t(0))).toBeUndefined();
  });
});
