import { describe, expect, it } from 'vitest';
import { dispatchJob, type DispatchDeps } from '../../../src/jobs/dispatch-job.js';
import { JobsError } from '../../../src/jobs/errors.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import { handlePoisonedJob } from '../../../src/jobs/poison-job.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { TaskBatcher } from '../../../src/jobs/task-batcher.js';
import { MemoryJobStore, RecordingBatch, RecordingQueue, policy, policySource } from './memory-ports.js';

const now = new Date('2026-11-28T10:00:00Z');

async function setup(specPatch: Record<string, unknown> = {}) {
  const store = new MemoryJobStore();
  const batch = new RecordingBatch();
  const queue = new RecordingQueue();
  const deps: DispatchDeps = { store, batch, pools: policySource(policy('gpu'), policy('cpu')), addTask: async (j, t) => (await batch.addTasks(j, [t]))[0]!, queue, retryMaxSeconds: 300 };
  const { job } = await submitJob({ store, queue: new RecordingQueue() }, { user: 'ann', spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run', ...specPatch }), now });
  return { store, batch, queue, deps, id: job.id };
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
    const deps: DispatchDeps = { store, batch, pools: policies, addTask: async (j, t) => (await batch.addTasks(j, [t]))[0]!, queue: new RecordingQueue(), retryMaxSeconds: 300 };
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

  it('waits out Batch throttling and outages of any length: the job stays dispatching, re-enqueued with a growing delay', async () => {
    const { store, batch, queue, deps, id } = await setup();
    queue.sent.length = 0;
    queue.delays.length = 0;
    const errors = [new JobsError('BATCH_THROTTLED', 'ServerBusy'), new JobsError('BATCH_UNAVAILABLE', 'socket hang up'), new JobsError('BATCH_JOB_MISSING', 'deleted')];
    for (let attempt = 0; attempt < 12; attempt++) {
      batch.addFailures.push(errors[attempt % errors.length]!);
      expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'retrying' });
      expect(store.rows.get(id)!.record).toMatchObject({ state: 'dispatching', dispatchAttempts: attempt + 1, lastError: { code: errors[attempt % errors.length]!.code } });
    }
    expect(queue.sent).toEqual(Array(12).fill(id));
    // 5, 10, 20, … s with jitter in [0.5, 1], capped at the configured maximum.
    expect(queue.delays[0]).toBeGreaterThanOrEqual(2);
    expect(queue.delays[0]).toBeLessThanOrEqual(5);
    expect(queue.delays[3]).toBeGreaterThanOrEqual(20);
    expect(Math.max(...queue.delays)).toBeLessThanOrEqual(300);
    expect(queue.delays[11]).toBeGreaterThanOrEqual(150);
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched' });
    expect(batch.tasks.size).toBe(1);
  });

  it('fails the job at once when Batch rejects the task (a permanent error)', async () => {
    const { store, batch, queue, deps, id } = await setup();
    queue.sent.length = 0;
    batch.addFailures.push(new JobsError('BATCH_REJECTED', 'InvalidPropertyValue: commandLine'));
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'failed' });
    expect(store.rows.get(id)!.record).toMatchObject({ state: 'failed', lastError: { code: 'BATCH_REJECTED' } });
    expect(queue.sent).toEqual([]);
  });

  it('throws when it cannot re-enqueue, so the queue redelivers the message', async () => {
    const { batch, queue, deps, id } = await setup();
    batch.addFailures.push(new JobsError('BATCH_THROTTLED', 'ServerBusy'));
    queue.fail = true;
    await expect(dispatchJob(deps, id, now)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('poison re-enqueues a job whose last error was transient and fails one whose last error was not', async () => {
    const { store, queue, id } = await setup();
    store.poke(id, { state: 'dispatching', dispatchAttempts: 5, lastError: { code: 'BATCH_UNAVAILABLE', message: 'Batch 503' } });
    queue.sent.length = 0;
    expect(await handlePoisonedJob({ store, queue, retryMaxSeconds: 60 }, id, now)).toBe('requeued');
    expect(store.rows.get(id)!.record.state).toBe('dispatching');
    expect(queue.sent).toEqual([id]);
    store.poke(id, { lastError: { code: 'INTERNAL', message: 'TypeError: x is undefined' } });
    expect(await handlePoisonedJob({ store, queue, retryMaxSeconds: 60 }, id, now)).toBe('failed');
    expect(store.rows.get(id)!.record.reason).toContain('INTERNAL');
  });

  it('re-reads after losing a race instead of overwriting', async () => {
    const { store, deps, id } = await setup();
    store.beforeNextReplace = () => store.poke(id, { state: 'cancelled' });
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'skipped' });
    expect(store.rows.get(id)!.record.state).toBe('cancelled');
  });

  it('drops a job whose record was deleted while it was being marked, saying it vanished', async () => {
    const { store, batch, deps, id } = await setup();
    store.beforeNextReplace = () => {
      store.poke(id, {});
      store.get = async () => undefined;
    };
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'missing', detail: 'job vanished' });
    expect(batch.tasks.size).toBe(0);
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
