// Cancel: a queued job at once, a job in Batch through cancelling (its task or every unfinished array task
// terminated), a final job refused; when Batch cannot be reached the job stays cancelling for sync to finish.
import { beforeEach, describe, expect, it } from 'vitest';
import { cancelJob, finishCancel } from '../../../src/jobs/cancel-job.js';
import { JobsError } from '../../../src/jobs/errors.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import type { JobState } from '../../../src/jobs/job-state.js';
import { MemoryJobStore, RecordingBatch } from './memory-ports.js';
import { JOB_ID, jobInState } from './job-records.js';

const id = JOB_ID;
const now = new Date('2026-11-02T09:00:00Z');
const at = now.toISOString();
const record = jobInState;
const ann = { user: 'ann', isAdmin: false };
const failureOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: JobsError) => `${e.code}: ${e.message}`);

let store: MemoryJobStore;
let batch: RecordingBatch;
const put = async (r: JobRecord) => void (await store.create(r));
beforeEach(() => {
  store = new MemoryJobStore();
  batch = new RecordingBatch();
});

describe('cancelJob', () => {
  it('cancels a queued job at once, clearing why it waited, without touching Batch', async () => {
    await put(record('queued', { batch: undefined, waitingFor: 'your GPU limit' }));
    const r = await cancelJob({ store, batch }, id, ann, now);
    expect(r).toMatchObject({ state: 'cancelled', reason: 'cancelled by ann', cancelRequestedAt: at, endTime: at, updatedAt: at });
    expect(r.waitingFor).toBeUndefined();
    expect(batch.terminated).toEqual([]);
    // Dispatch never took it, so cancel writes the admins' listing row (only that one: sync reads `active`).
    expect([...store.all]).toEqual([id]);
    expect(store.active.has(id)).toBe(false);
  });

  it('cancels a queued job even when its listing row cannot be written (dispatch writes it later)', async () => {
    await put(record('queued', { batch: undefined }));
    store.addIndexes = async () => Promise.reject(new JobsError('STORAGE_UNAVAILABLE', 'down'));
    expect((await cancelJob({ store, batch }, id, ann, now)).state).toBe('cancelled');
    expect((await store.get(id))!.record.state).toBe('cancelled');
  });

  it('writes no listing row for a job it did not move (dispatch wrote it when it took the job)', async () => {
    await put(record('running'));
    await cancelJob({ store, batch }, id, ann, now);
    expect([...store.all]).toEqual([]);
    await put(record('cancelled'));
    await cancelJob({ store, batch }, id, ann, now);
    expect([...store.all]).toEqual([]);
  });

  it.each(['dispatching', 'dispatched', 'running'] as JobState[])('terminates the task of a %s job and marks it cancelled', async (state) => {
    await put(record(state));
    const r = await cancelJob({ store, batch }, id, { user: 'root', isAdmin: true }, now);
    expect(batch.terminated).toEqual([`job-${id}`]);
    expect(r).toMatchObject({ state: 'cancelled', reason: 'cancelled by root', cancelRequestedAt: at, endTime: at, updatedAt: at });
    expect(r.taskStates).toBeUndefined();
    expect((await store.get(id))!.record.state).toBe('cancelled');
  });

  it('leaves the job cancelling when Batch cannot terminate its task', async () => {
    await put(record('running'));
    const down = { terminateTask: async () => Promise.reject(new JobsError('BATCH_UNAVAILABLE', 'down')) };
    const r = await cancelJob({ store, batch: down }, id, ann, now);
    expect(r).toMatchObject({ state: 'cancelling', reason: 'cancelled by ann', cancelRequestedAt: at });
    expect(r.endTime).toBeUndefined();
  });

  it('finishes the cancel of a job already cancelling, keeping who asked first and when, and returns a cancelled job as it is', async () => {
    await put(record('cancelling', { reason: 'cancelled by ann', cancelRequestedAt: '2026-11-02T08:30:00Z' }));
    expect(await cancelJob({ store, batch }, id, { user: 'root', isAdmin: true }, now)).toMatchObject({ state: 'cancelled', reason: 'cancelled by ann', cancelRequestedAt: '2026-11-02T08:30:00Z' });
    expect(batch.terminated).toEqual([`job-${id}`]);
    expect((await cancelJob({ store, batch }, id, ann, now)).state).toBe('cancelled');
    expect(batch.terminated).toHaveLength(1);
  });

  it.each(['succeeded', 'failed'] as JobState[])('refuses to cancel a %s job, saying so', async (state) => {
    await put(record(state));
    expect(await failureOf(cancelJob({ store, batch }, id, ann, now))).toBe(`JOB_FINAL: job ${id} already ${state}; there is nothing to cancel`);
  });

  it("reports someone else's job, or a missing one, as not found", async () => {
    await put(record('running', { user: 'bob' }));
    expect(await failureOf(cancelJob({ store, batch }, id, ann, now))).toBe(`JOB_NOT_FOUND: no job ${id} that you can see`);
    expect(await failureOf(cancelJob({ store, batch }, '00000000000a-0000000000001-000002', ann, now))).toBe('JOB_NOT_FOUND: no job 00000000000a-0000000000001-000002 that you can see');
    expect(batch.terminated).toEqual([]);
  });
});

describe('cancelling an array job', () => {
  it('terminates only the tasks still waiting or running, and marks them cancelled', async () => {
    await put(record('running', { taskStates: 'swrfc' }, { array: { size: 5 } }));
    const r = await cancelJob({ store, batch }, id, ann, now);
    expect(batch.terminated.sort()).toEqual([`job-${id}-1`, `job-${id}-2`]);
    expect(r).toMatchObject({ state: 'cancelled', taskStates: 'sccfc' });
  });

  it('terminates every task of an array Batch has not reported on yet, more than 16 at a time included', async () => {
    await put(record('dispatched', {}, { array: { size: 20 } }));
    const r = await cancelJob({ store, batch }, id, ann, now);
    expect(batch.terminated).toHaveLength(20);
    expect(new Set(batch.terminated).size).toBe(20);
    expect(r.taskStates).toBe('c'.repeat(20));
  });

  it('has at most 16 terminate calls in flight for an array of 20 open tasks', async () => {
    await put(record('dispatched', {}, { array: { size: 20 } }));
    let inFlight = 0;
    let most = 0;
    const terminate = batch.terminateTask.bind(batch);
    batch.terminateTask = async (job: string, taskId: string) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return terminate(job, taskId);
    };
    await cancelJob({ store, batch }, id, ann, now);
    expect(most).toBe(16);
    expect(batch.terminated).toHaveLength(20);
  });
});

describe('finishCancel', () => {
  it('marks a cancelling job that never reached Batch cancelled without terminating anything', async () => {
    await put(record('cancelling', { batch: undefined }));
    expect(await finishCancel({ store, batch }, id, now)).toMatchObject({ state: 'cancelled', endTime: at });
    expect(batch.terminated).toEqual([]);
  });

  it('returns a job that is not cancelling as it is, and nothing for a missing one', async () => {
    await put(record('running'));
    expect(await finishCancel({ store, batch }, id, now)).toMatchObject({ state: 'running' });
    expect(await finishCancel({ store, batch }, '00000000000a-0000000000001-000002', now)).toBeUndefined();
    expect(batch.terminated).toEqual([]);
  });

  it('returns undefined when Batch cannot be reached, leaving the job cancelling', async () => {
    await put(record('cancelling', { taskStates: 'rr' }, { array: { size: 2 } }));
    const down = { terminateTask: async () => Promise.reject(new JobsError('BATCH_UNAVAILABLE', 'down')) };
    expect(await finishCancel({ store, batch: down }, id, now)).toBeUndefined();
    expect((await store.get(id))!.record).toMatchObject({ state: 'cancelling', taskStates: 'rr' });
  });
});
