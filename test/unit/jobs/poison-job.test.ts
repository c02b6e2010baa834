// A job whose dispatch message reached the poison queue: re-enqueued with a delay after a transient error, failed
// with the last error otherwise, left alone once it left queued/dispatching.
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { handlePoisonedJob } from '../../../src/jobs/poison-job.js';
import { JOB_ID, jobInState } from './job-records.js';
import { MemoryJobStore, RecordingQueue } from './memory-ports.js';

const now = new Date('2026-11-02T09:00:00Z');

async function setup(record: JobRecord) {
  const store = new MemoryJobStore();
  await store.create(record);
  const queue = new RecordingQueue();
  return { store, queue, deps: { store, queue, retryMaxSeconds: 60 }, record: () => store.rows.get(JOB_ID)!.record };
}

describe('handlePoisonedJob', () => {
  it('re-enqueues a queued job whose last error is transient, after the backoff of its attempts (20 s less jitter for 3)', async () => {
    const { queue, deps, record } = await setup(jobInState('queued', { dispatchAttempts: 3, lastError: { code: 'STORAGE_UNAVAILABLE', message: 'down' } }));
    expect(await handlePoisonedJob(deps, JOB_ID, now)).toBe('requeued');
    expect(record()).toMatchObject({ state: 'queued', updatedAt: '2026-11-02T09:00:00.000Z' });
    expect(queue.sent).toEqual([JOB_ID]);
    expect(queue.delays[0]).toBeGreaterThanOrEqual(10);
    expect(queue.delays[0]).toBeLessThanOrEqual(20);
  });

  it('fails a queued job with no recorded error, saying so', async () => {
    const { queue, deps, record } = await setup(jobInState('queued', { dispatchAttempts: 5 }));
    expect(await handlePoisonedJob(deps, JOB_ID, now)).toBe('failed');
    expect(record()).toMatchObject({
      state: 'failed',
      reason: 'dispatch failed after 5 attempt(s); last error no error was recorded. Submit the job again; if it keeps failing, tell an admin.',
      endTime: '2026-11-02T09:00:00.000Z',
    });
    expect(queue.sent).toEqual([]);
  });

  it("writes the admins' listing row of a job it fails (dispatch may never have written it), and not for one it re-enqueues", async () => {
    const failed = await setup(jobInState('queued', { dispatchAttempts: 0 }));
    expect(await handlePoisonedJob(failed.deps, JOB_ID, now)).toBe('failed');
    expect([...failed.store.all]).toEqual([JOB_ID]);
    expect(failed.store.active.size).toBe(0);
    const requeued = await setup(jobInState('queued', { dispatchAttempts: 3, lastError: { code: 'STORAGE_UNAVAILABLE', message: 'down' } }));
    expect(await handlePoisonedJob(requeued.deps, JOB_ID, now)).toBe('requeued');
    expect([...requeued.store.all]).toEqual([]);
  });

  it.each(['dispatched', 'running', 'cancelling'] as const)('leaves a %s job as it is', async (state) => {
    const { store, queue, deps, record } = await setup(jobInState(state, { lastError: { code: 'INTERNAL', message: 'x' } }));
    const writes = store.writes;
    expect(await handlePoisonedJob(deps, JOB_ID, now)).toBe('unchanged');
    expect(record().state).toBe(state);
    expect(store.writes).toBe(writes);
    expect(queue.sent).toEqual([]);
  });

  it('answers missing for a job that is gone', async () => {
    const store = new MemoryJobStore();
    expect(await handlePoisonedJob({ store, queue: new RecordingQueue(), retryMaxSeconds: 60 }, JOB_ID, now)).toBe('missing');
  });
});
