import { describe, expect, it } from 'vitest';
import { dispatchJob, type DispatchDeps } from '../../../src/jobs/dispatch-job.js';
import { JobsError } from '../../../src/jobs/errors.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { failPoisonedJob } from '../../../src/jobs/poison-job.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { TaskBatcher } from '../../../src/jobs/task-batcher.js';
import { MemoryJobStore, RecordingBatch, RecordingQueue, policy, policySource } from './memory-ports.js';

const now = new Date('2026-11-28T10:00:00Z');

async function setup(specPatch: Record<string, unknown> = {}) {
  const store = new MemoryJobStore();
  const batch = new RecordingBatch();
  const deps: DispatchDeps = { store, batch, pools: policySource(policy('gpu'), policy('cpu')), addTask: async (j, t) => (await batch.addTasks(j, [t]))[0]! };
  const { job } = await submitJob({ store, queue: new RecordingQueue() }, { user: 'ann', spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run', ...specPatch }), now });
  return { store, batch, deps, id: job.id };
}

describe('dispatch', () => {
  it('adds one task carrying env, constraints and slots, and records the Batch location', async () => {
    const { store, batch, deps, id } = await setup({ resources: { gpus: 1 }, env: { A: '1' }, timeoutMinutes: 30, retries: 2 });
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched' });
    const r = store.rows.get(id)!.record;
    expect(r).toMatchObject({ state: 'dispatched', pool: 'gpu', batch: { poolId: 'gpu', taskId: `job-${id}`, jobId: 'dsvmpool-gpu-202611' } });
    expect(batch.tasks.get(`job-${id}`)).toMatchObject({ maxWallClockMinutes: 30, maxTaskRetryCount: 2, requiredSlots: 1, env: expect.arrayContaining([{ name: 'A', value: '1' }]) });
  });

  it("takes the pool's default timeout and retries when the spec sets none, and tells the task its job id and name", async () => {
    const store = new MemoryJobStore();
    const batch = new RecordingBatch();
    const policies = policySource(policy('cpu', { defaultTimeoutMinutes: 45, defaultRetries: 3 }));
    const deps: DispatchDeps = { store, batch, pools: policies, addTask: async (j, t) => (await batch.addTasks(j, [t]))[0]! };
    const { job } = await submitJob({ store, queue: new RecordingQueue() }, { user: 'ann', spec: jobSpecSchema.parse({ name: 'nightly', commandLine: 'run' }), now });
    expect(await dispatchJob(deps, job.id, now)).toMatchObject({ result: 'dispatched' });
    expect(batch.tasks.get(`job-${job.id}`)).toMatchObject({
      maxWallClockMinutes: 45,
      maxTaskRetryCount: 3,
      env: expect.arrayContaining([{ name: 'DSVMPOOL_JOB_ID', value: job.id }, { name: 'DSVMPOOL_JOB_NAME', value: 'nightly' }]),
    });
  });

  it('a message delivered twice makes one task', async () => {
    const { store, batch, deps, id } = await setup();
    await dispatchJob(deps, id, now);
    store.poke(id, { state: 'dispatching' }); // as if the first run crashed before its Table write
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched', detail: expect.stringContaining('task existed') });
    expect(batch.tasks.size).toBe(1);
    expect(store.rows.get(id)!.record.state).toBe('dispatched');
  });

  it('skips a job cancelled before its message arrived', async () => {
    const { store, batch, deps, id } = await setup();
    store.poke(id, { state: 'cancelled' });
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'skipped' });
    expect(batch.tasks.size).toBe(0);
  });

  it('terminates the task when the job was cancelled while the task was being added', async () => {
    const { store, batch, deps, id } = await setup();
    const add = deps.addTask;
    deps.addTask = async (j, t) => {
      const o = await add(j, t);
      store.poke(id, { state: 'cancelling' });
      return o;
    };
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'skipped' });
    expect(batch.terminated).toEqual([`job-${id}`]);
  });

  it('fails an impossible job with the reason and adds no task', async () => {
    const { store, batch, deps, id } = await setup({ resources: { gpus: 8 } });
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'failed' });
    expect(store.rows.get(id)!.record.reason).toContain('needs 8 GPUs, largest GPU node has 1');
    expect(batch.tasks.size).toBe(0);
  });

  it('records a throttled add and throws so the queue redelivers; poison then fails the job with that error', async () => {
    const { store, batch, deps, id } = await setup();
    batch.addFailures.push(new JobsError('BATCH_THROTTLED', 'ServerBusy'));
    await expect(dispatchJob(deps, id, now)).rejects.toMatchObject({ code: 'BATCH_THROTTLED' });
    expect(store.rows.get(id)!.record).toMatchObject({ state: 'dispatching', lastError: { code: 'BATCH_THROTTLED' } });
    expect(await failPoisonedJob(store, id, now)).toBe('failed');
    expect(store.rows.get(id)!.record.reason).toContain('BATCH_THROTTLED');
  });

  it('re-reads after losing a race instead of overwriting', async () => {
    const { store, deps, id } = await setup();
    store.beforeNextReplace = () => store.poke(id, { state: 'cancelled' });
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'skipped' });
    expect(store.rows.get(id)!.record.state).toBe('cancelled');
  });

  it('groups concurrent adds into one addtaskcollection call of at most 100', async () => {
    const batch = new RecordingBatch();
    const batcher = new TaskBatcher(batch);
    const tasks = Array.from({ length: 150 }, (_, i) => ({ id: `t${i}` }) as never);
    const outcomes = await Promise.all(tasks.map((t) => batcher.add('j', t)));
    expect(outcomes.every((o) => o.status === 'added')).toBe(true);
    expect(batch.addCalls).toEqual([100, 50]);
  });
});
