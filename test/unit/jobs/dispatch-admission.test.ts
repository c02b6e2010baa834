// Dispatch's decisions around admission and races: held jobs (dependencies, per-user limits) and what they read,
// redelivered messages, pools found only on a fresh read, and the outcome details a person or the logs read.
import { describe, expect, it } from 'vitest';
import type { DescribedPool } from '../../../src/jobs/batch-policy.js';
import { dispatchJob, type DispatchDeps } from '../../../src/jobs/dispatch-job.js';
import { JobsError } from '../../../src/jobs/errors.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';
import type { PoolCatalogSet } from '../../../src/jobs/pool-catalog.js';
import { submitJob } from '../../../src/jobs/submit-job.js';
import { MemoryJobStore, RecordingBatch, RecordingQueue, policy, policySource } from './memory-ports.js';

const now = new Date('2026-11-28T10:00:00Z');

async function setup(specPatch: Record<string, unknown> = {}, pools: DescribedPool[] = [policy('gpu'), policy('cpu')]) {
  const store = new MemoryJobStore();
  const batch = new RecordingBatch();
  const queue = new RecordingQueue();
  const deps: DispatchDeps = { store, batch, pools: policySource(...pools), addTask: async (j, t) => (await batch.addTasks(j, [t]))[0]!, queue, retryMaxSeconds: 300 };
  const submit = async (patch: Record<string, unknown> = specPatch, at = now) =>
    (await submitJob({ store, queue: new RecordingQueue() }, { user: 'ann', spec: jobSpecSchema.parse({ name: 'j', commandLine: 'run', ...patch }), now: at })).job.id;
  const id = await submit(specPatch, new Date(now.getTime() - 60_000));
  return { store, batch, queue, deps, id, submit, record: (jobId = id) => store.rows.get(jobId)!.record };
}

describe('dispatch: dependencies', () => {
  it('holds a job queued while its dependency runs, saying so, and writes nothing more while that stays true', async () => {
    const { store, deps, submit, record } = await setup();
    const prep = await submit({ name: 'prep' });
    store.poke(prep, { state: 'running' });
    const train = await submit({ name: 'train', dependsOn: [prep] });
    const reason = `waiting for your job prep (${prep}) is running to succeed`;
    expect(await dispatchJob(deps, train, now)).toEqual({ jobId: train, result: 'waiting', detail: reason });
    expect(record(train)).toMatchObject({ state: 'queued', waitingFor: reason });
    const writes = store.writes;
    expect(await dispatchJob(deps, train, now)).toMatchObject({ result: 'waiting' });
    expect(store.writes).toBe(writes);
  });

  it('fails a job whose dependency failed, with the code DEPENDENCY_FAILED', async () => {
    const { store, batch, deps, submit, record } = await setup();
    const prep = await submit({ name: 'prep' });
    store.poke(prep, { state: 'running' });
    const train = await submit({ name: 'train', dependsOn: [prep] });
    store.poke(prep, { state: 'failed' });
    const reason = `dependency prep (${prep}) failed; this job will not run. Fix it and submit both again`;
    expect(await dispatchJob(deps, train, now)).toEqual({ jobId: train, result: 'failed', detail: reason });
    expect(record(train)).toMatchObject({ state: 'failed', reason, lastError: { code: 'DEPENDENCY_FAILED', message: reason }, endTime: now.toISOString() });
    expect(batch.tasks.size).toBe(0);
  });

  it('dispatches a held job once its dependency succeeded, clearing waitingFor', async () => {
    const { store, deps, submit, record } = await setup();
    const prep = await submit({ name: 'prep' });
    store.poke(prep, { state: 'running' });
    const train = await submit({ name: 'train', dependsOn: [prep] });
    await dispatchJob(deps, train, now);
    store.poke(prep, { state: 'succeeded' });
    expect(await dispatchJob(deps, train, now)).toMatchObject({ result: 'dispatched' });
    expect(record(train).waitingFor).toBeUndefined();
  });

  it('does not judge the dependencies of a redelivered dispatching job again', async () => {
    const { store, deps, submit } = await setup();
    const prep = await submit({ name: 'prep' });
    store.poke(prep, { state: 'running' });
    const train = await submit({ name: 'train', dependsOn: [prep] });
    store.rows.delete(prep);
    store.poke(train, { state: 'dispatching', dispatchAttempts: 1 });
    expect(await dispatchJob(deps, train, now)).toMatchObject({ result: 'dispatched' });
  });
});

describe('dispatch: per-user limits', () => {
  const limited = [policy('gpu', { maxRunningGpusPerUser: 1 }), policy('cpu')];

  it('holds a job over the limit queued on its pool, saying which limit', async () => {
    const { deps, id, submit, record } = await setup({ resources: { gpus: 1 } }, limited);
    const other = await submit();
    expect(await dispatchJob(deps, other, now)).toMatchObject({ result: 'dispatched' });
    const reason = "your GPU limit on pool 'gpu': 1 of 1 in use, this job needs 1; it starts when your own jobs there finish";
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'waiting', detail: reason });
    expect(record()).toMatchObject({ state: 'queued', pool: 'gpu', waitingFor: reason });
  });

  it('lets a redelivered dispatching job go on: it already holds its place', async () => {
    const { store, deps, id, submit } = await setup({ resources: { gpus: 1 } }, limited);
    const other = await submit();
    store.poke(other, { state: 'running', pool: 'gpu' });
    store.poke(id, { state: 'dispatching', dispatchAttempts: 1 });
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched' });
  });

  it('backs the younger of two jobs marked at once off to queued, with the reason', async () => {
    const { store, deps, id, submit, record } = await setup({ resources: { gpus: 1 } }, limited);
    const younger = await submit();
    // The older job was marked dispatching by another instance after this one read the user's jobs.
    store.poke(id, { state: 'dispatching', pool: 'gpu', dispatchAttempts: 1 });
    const list = store.listUserActive.bind(store);
    let calls = 0;
    store.listUserActive = async (user) => (calls++ === 0 ? (await list(user)).map((r) => (r.id === id ? { ...r, state: 'queued' as const } : r)) : list(user));
    const out = await dispatchJob(deps, younger, now);
    expect(out).toMatchObject({ result: 'waiting', detail: expect.stringContaining("your GPU limit on pool 'gpu'") });
    expect(record(younger)).toMatchObject({ state: 'queued', pool: 'gpu', waitingFor: out.detail });
  });
});

describe('dispatch: delivery and index rows', () => {
  it('writes the index rows on the first delivery only, not for a held or retried job', async () => {
    const { store, deps, id, submit } = await setup();
    const [held, retried, redelivered] = [await submit(), await submit(), await submit()];
    store.poke(held, { waitingFor: 'your GPU limit' });
    store.poke(retried, { dispatchAttempts: 1 });
    store.poke(redelivered, { state: 'dispatching' });
    const indexed: string[] = [];
    store.addIndexes = async (r: JobRecord) => void indexed.push(r.id);
    for (const j of [id, held, retried, redelivered]) await dispatchJob(deps, j, now);
    expect(indexed).toEqual([id]);
  });

  it.each([
    ['dispatched', 'already-dispatched'],
    ['running', 'already-dispatched'],
    ['cancelling', 'skipped'],
    ['succeeded', 'skipped'],
    ['failed', 'skipped'],
  ] as const)('leaves a %s job alone (%s)', async (state, result) => {
    const { store, batch, deps, id } = await setup();
    store.poke(id, { state });
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result, detail: `job is ${state}` });
    expect(batch.tasks.size).toBe(0);
  });

  it("writes only the admins' listing row of a job that ended before dispatch took it, and none for one it took", async () => {
    const { store, deps, id, submit } = await setup();
    const taken = await submit();
    store.poke(id, { state: 'cancelled' });
    store.poke(taken, { state: 'cancelled', dispatchAttempts: 1 });
    const indexed: string[] = [];
    store.addIndexes = async (r: JobRecord, which) => void indexed.push(`${r.id}:${which}`);
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'skipped', detail: 'job is cancelled' });
    expect(await dispatchJob(deps, taken, now)).toEqual({ jobId: taken, result: 'skipped', detail: 'job is cancelled' });
    expect(indexed).toEqual([`${id}:all`]);
  });

  it('drops the message of a job that does not exist', async () => {
    const { deps } = await setup();
    const id = '00000000000a-0000000000001-zzzzzz';
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'missing', detail: 'no such job; message dropped' });
  });

  it('skips a job cancelled between its read and its mark', async () => {
    const { store, batch, deps, id } = await setup();
    store.beforeNextReplace = () => store.poke(id, { state: 'cancelling' });
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'skipped', detail: 'job is cancelling' });
    expect(batch.tasks.size).toBe(0);
  });
});

describe('dispatch: outcome details', () => {
  it('says where a single task went, and that it existed on a redelivery', async () => {
    const { store, deps, id } = await setup();
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'dispatched', detail: 'task added in dsvmpool-cpu-202611 on pool cpu' });
    store.poke(id, { state: 'dispatching' });
    expect((await dispatchJob(deps, id, now)).detail).toBe('task existed in dsvmpool-cpu-202611 on pool cpu');
  });

  it('counts the tasks of an array job, and starts them all waiting', async () => {
    const { deps, id, record } = await setup({ array: { size: 3 } });
    expect((await dispatchJob(deps, id, now)).detail).toBe('3 task(s) added, 0 existed in dsvmpool-cpu-202611 on pool cpu');
    expect(record().taskStates).toBe('www');
  });

  it('says what Batch answered and when the next attempt comes on a transient error', async () => {
    const { batch, queue, deps, id, record } = await setup();
    batch.addFailures.push(new JobsError('BATCH_THROTTLED', 'ServerBusy'));
    const out = await dispatchJob(deps, id, now);
    expect(out).toEqual({ jobId: id, result: 'retrying', detail: `BATCH_THROTTLED: ServerBusy; attempt 1, next in ${queue.delays.at(-1)} s` });
    expect(record()).toMatchObject({ state: 'dispatching', lastError: { code: 'BATCH_THROTTLED', message: 'ServerBusy' } });
  });

  it('fails with the reason Batch rejected the task, and stops the tasks of an array job', async () => {
    const { batch, deps, id, record } = await setup({ array: { size: 2 } });
    batch.addFailures.push(new JobsError('BATCH_REJECTED', 'InvalidPropertyValue: commandLine'));
    const reason = 'Batch rejected the task (BATCH_REJECTED: InvalidPropertyValue: commandLine); fix the job spec and submit again';
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'failed', detail: reason });
    expect(record()).toMatchObject({ state: 'failed', reason });
    expect(batch.terminated.sort()).toEqual([`job-${id}-0`, `job-${id}-1`]);
  });

  it('throws an error that is not classified (a bug), so the message is retried and poison decides', async () => {
    const { batch, deps, id } = await setup();
    batch.ensureJob = async () => {
      throw new TypeError('x is undefined');
    };
    await expect(dispatchJob(deps, id, now)).rejects.toThrow('x is undefined');
  });

  it('terminates every task of an array job cancelled while its tasks were being added', async () => {
    const { store, batch, deps, id } = await setup({ array: { size: 2 } });
    const add = batch.addTasks.bind(batch);
    batch.addTasks = async (j, t) => {
      const o = await add(j, t);
      store.poke(id, { state: 'cancelling' });
      return o;
    };
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'skipped', detail: 'cancelled while dispatching; task(s) terminated' });
    expect(batch.terminated.sort()).toEqual([`job-${id}-0`, `job-${id}-1`]);
  });
});

describe('dispatch: cancelled while adding', () => {
  it('terminates the task of a job whose cancel already finished while the task was being added', async () => {
    const { store, batch, deps, id } = await setup();
    const add = deps.addTask;
    deps.addTask = async (j, t) => {
      const o = await add(j, t);
      store.poke(id, { state: 'cancelled' });
      return o;
    };
    expect(await dispatchJob(deps, id, now)).toEqual({ jobId: id, result: 'skipped', detail: 'cancelled while dispatching; task(s) terminated' });
    expect(batch.terminated).toEqual([`job-${id}`]);
  });

  it('records no dispatch error on a job cancelled while Batch was throttling', async () => {
    const { store, deps, id, record } = await setup();
    deps.addTask = async () => {
      store.poke(id, { state: 'cancelling' });
      throw new JobsError('BATCH_THROTTLED', 'ServerBusy');
    };
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'retrying' });
    expect(record()).toMatchObject({ state: 'cancelling' });
    expect(record().lastError).toBeUndefined();
  });
});

describe('dispatch: pools found only on a fresh read', () => {
  const source = (cached: Partial<PoolCatalogSet>, fresh: Partial<PoolCatalogSet>, calls: unknown[]) => ({
    list: async (o?: { fresh?: boolean }) => {
      calls.push(o?.fresh ?? false);
      return { pools: [], unusable: [], invalid: [], ...(o?.fresh ? fresh : cached) };
    },
  });

  it('routes a job pinned to a pool saved after the cache was filled', async () => {
    const { deps, id } = await setup({ pool: 'new' });
    const calls: unknown[] = [];
    deps.pools = source({ pools: [policy('cpu')] }, { pools: [policy('cpu'), policy('new')] }, calls);
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched', detail: expect.stringContaining('on pool new') });
    expect(calls).toEqual([false, true]);
  });

  it('routes a job pinned to a pool the cache still saw as unusable', async () => {
    const { deps, id } = await setup({ pool: 'new' });
    const calls: unknown[] = [];
    deps.pools = source({ unusable: [{ name: 'new', poolId: 'new', reason: 'Batch pool "new" does not exist' }] }, { pools: [policy('new')] }, calls);
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched' });
    expect(calls).toEqual([false, true]);
  });

  it('does not read again when the cached route is impossible for another reason', async () => {
    const { deps, id, record } = await setup({ resources: { gpus: 8 } });
    const calls: unknown[] = [];
    deps.pools = source({ pools: [policy('gpu')] }, { pools: [policy('gpu', { gpusPerNode: 8 })] }, calls);
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'failed' });
    expect(calls).toEqual([false]);
    expect(record().lastError?.code).toBe('ROUTE_IMPOSSIBLE');
  });

  it('does not read again when the cached route succeeds', async () => {
    const { deps, id } = await setup();
    const calls: unknown[] = [];
    deps.pools = source({ pools: [policy('cpu')] }, { pools: [] }, calls);
    expect(await dispatchJob(deps, id, now)).toMatchObject({ result: 'dispatched' });
    expect(calls).toEqual([false]);
  });
});
