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
  const dispatch = (id: string) => dispatchJob({ store, batch, pools: policies, addTask: async (j, task) => (await batch.addTasks(j, [task]))[0]!, queue, retryMaxSeconds: 300 }, id, t(0));
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
    // One Batch job: its changed tasks, plus its unfinished task ids because `bad` was quiet for 3 minutes.
    expect(report.batchListCalls).toBe(2);
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

  it('leaves a cancel Batch still refuses as cancelling for the next tick: no error, no task listing for it', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const id = await submit();
    await dispatch(id);
    batch.terminateTask = async () => Promise.reject(new Error('busy'));
    await cancelJob({ store, batch }, id, { user: 'ann', isAdmin: false }, t(1));
    const report = await syncJobs(deps, t(2));
    expect(store.rows.get(id)!.record.state).toBe('cancelling');
    expect(report.errors).toEqual([]);
    expect(report.transitions).toEqual([]);
    expect(report.batchListCalls).toBe(0);
  });

  it('does not re-enqueue a late queued job that another instance dispatched meanwhile', async () => {
    const { store, queue, deps, submit } = await setup();
    queue.fail = true;
    const id = await submit();
    queue.fail = false;
    queue.sent = [];
    store.beforeNextReplace = () => store.poke(id, { state: 'dispatching' });
    const report = await syncJobs(deps, t(6));
    expect(queue.sent).toEqual([]);
    expect(report.requeued).toEqual([]);
    expect(store.rows.get(id)!.record.updatedAt).toBe(t(0).toISOString());
  });

  it('reads each active job once, 17 jobs being two rounds of 16 parallel reads', async () => {
    const { store, deps, submit } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 17; i++) ids.push(await submit());
    const read: string[] = [];
    const get = store.get.bind(store);
    store.get = async (id: string) => (read.push(id), get(id));
    const report = await syncJobs(deps, t(1));
    expect(read.sort()).toEqual([...ids].sort());
    expect(report.activeJobs).toBe(17);
  });

  it('sends a held job to dispatch again each tick, and not a queued job that is not held', async () => {
    const { store, queue, deps, submit } = await setup();
    const held = await submit();
    await submit(); // queued, not held
    store.poke(held, { waitingFor: 'job 1 has not finished' });
    queue.sent = [];
    const report = await syncJobs(deps, t(1));
    expect(report.rechecked).toEqual([held]);
    expect(queue.sent).toEqual([held]);
  });
});

describe('sync notices Batch jobs and tasks that vanished', () => {
  it('fails the dispatched and running jobs of a Batch job that is gone (JobNotFound is not "nothing changed"), then shrinks the pool', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const a = await submit({ resources: { gpus: 1 } });
    const b = await submit({ resources: { gpus: 1 } });
    await dispatch(a);
    await dispatch(b);
    batch.taskStates.set(a, { id: `job-${a}`, state: 'running', startTime: t(1).toISOString(), stateTransitionTime: t(1).toISOString() });
    await syncJobs(deps, t(2));
    expect(batch.resizes.at(-1)).toMatchObject({ poolId: 'gpu', target: 2 });
    batch.missingJobs.add(store.rows.get(a)!.record.batch!.jobId);
    const report = await syncJobs(deps, t(3));
    for (const id of [a, b]) {
      expect(store.rows.get(id)!.record).toMatchObject({ state: 'failed', lastError: { code: 'BATCH_JOB_MISSING' } });
      expect(store.rows.get(id)!.record.reason).toMatch(/Batch job .* disappeared.*submit it again/);
    }
    expect(report.errors).toEqual([]);
    await syncJobs(deps, t(9));
    expect(batch.resizes.at(-1)).toEqual({ poolId: 'gpu', target: 0 });
  });

  it('fails a job whose task vanished from a live Batch job once it has been quiet for the grace period, and keeps the others', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const [gone, waiting, running, done] = [await submit(), await submit(), await submit(), await submit()];
    for (const id of [gone, waiting, running, done]) await dispatch(id);
    batch.taskStates.set(running, { id: `job-${running}`, state: 'running', stateTransitionTime: t(0).toISOString() });
    batch.taskStates.set(done, { id: `job-${done}`, state: 'completed', result: 'success', exitCode: 0, stateTransitionTime: t(0).toISOString() });
    batch.tasks.delete(`job-${gone}`);
    // Within the grace period nothing is judged, and only the changed-since list is read.
    batch.listCalls = 0;
    await syncJobs(deps, t(1));
    expect(store.rows.get(gone)!.record.state).toBe('dispatched');
    expect(batch.listCalls).toBe(1);
    batch.listCalls = 0;
    const report = await syncJobs(deps, t(10));
    expect(store.rows.get(gone)!.record).toMatchObject({ state: 'failed', lastError: { code: 'BATCH_TASK_MISSING' } });
    expect(store.rows.get(gone)!.record.reason).toContain('the Batch task disappeared');
    expect(store.rows.get(waiting)!.record.state).toBe('dispatched');
    expect(store.rows.get(running)!.record.state).toBe('running');
    expect(store.rows.get(done)!.record.state).toBe('succeeded');
    // Two list calls for the one Batch job, however many jobs it holds.
    expect(report.batchListCalls).toBe(2);
    expect(batch.listCalls).toBe(2);
  });

  it('leaves a dispatching job to dispatch when its Batch job is missing (dispatch creates it again)', async () => {
    const { store, batch, deps, submit } = await setup();
    const id = await submit();
    store.poke(id, { state: 'dispatching', pool: 'cpu', batch: { poolId: 'cpu', jobId: 'dsvmpool-cpu-202611', taskId: `job-${id}` } });
    batch.missingJobs.add('dsvmpool-cpu-202611');
    await syncJobs(deps, t(2));
    expect(store.rows.get(id)!.record.state).toBe('dispatching');
  });

  it('skips the vanished-task check (and says so) when a Batch job has more unfinished tasks than the cap', async () => {
    const { store, batch, deps, submit, dispatch } = await setup();
    const id = await submit();
    await dispatch(id);
    batch.tasks.delete(`job-${id}`);
    batch.listUnfinishedTaskIds = async () => ({ ids: new Set<string>(), truncated: true });
    const report = await syncJobs(deps, t(10));
    expect(store.rows.get(id)!.record.state).toBe('dispatched');
    expect(report.errors.map((e) => e.code)).toEqual(['BATCH_LIST_CAPPED']);
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
