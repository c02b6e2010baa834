// Sync of one Batch job: which tasks it lists (changed since the oldest state known, less 2 minutes of clock skew),
// when it also lists the unfinished task ids (a placed job unchanged for 3 minutes), and which jobs it fails as
// vanished (the Batch job gone, or a due job neither changed nor unfinished).
import { describe, expect, it } from 'vitest';
import type { TaskSnapshot } from '../../../src/jobs/batch.port.js';
import { JobsError } from '../../../src/jobs/errors.js';
import type { JobRecord, StoredJob } from '../../../src/jobs/job-record.js';
import { reconcileBatchJob } from '../../../src/jobs/reconcile-batch-job.js';
import { jobInState } from './job-records.js';
import { MemoryJobStore } from './memory-ports.js';

const BATCH_JOB = 'dsvmpool-cpu-202611';
const now = new Date('2026-11-02T09:00:00Z');
const idOf = (n: number) => `00000000000a-0000000000001-00000${n}`;

/** A Batch port answering both lists from fixed values (or failing them), recording what it was asked. */
function scriptedBatch(changed: TaskSnapshot[] = [], unfinished: string[] = [], fail?: JobsError) {
  const asked = { since: [] as string[], unfinished: 0 };
  return {
    asked,
    async listTasksChangedSince(batchJobId: string, since: Date) {
      expect(batchJobId).toBe(BATCH_JOB);
      asked.since.push(since.toISOString());
      if (fail) throw fail;
      return changed;
    },
    async listUnfinishedTaskIds(batchJobId: string, maxTasks: number) {
      expect([batchJobId, maxTasks]).toEqual([BATCH_JOB, 10_000]);
      asked.unfinished++;
      if (fail) throw fail;
      return { ids: new Set(unfinished), truncated: false };
    },
  };
}

async function stored(store: MemoryJobStore, records: JobRecord[]): Promise<StoredJob[]> {
  const out: StoredJob[] = [];
  for (const r of records) {
    const c = await store.create(r);
    if (c.created) out.push(c.stored);
  }
  return out;
}

const record = (n: number, state: JobRecord['state'], patch: Partial<JobRecord> = {}, spec: Record<string, unknown> = {}) =>
  jobInState(state, { id: idOf(n), batch: { poolId: 'cpu', jobId: BATCH_JOB, taskId: `job-${idOf(n)}` }, updatedAt: '2026-11-02T08:59:00Z', ...patch }, spec);

describe('reconcileBatchJob', () => {
  it('lists the tasks changed since the oldest task transition, dispatch or submit time of the group, less 2 minutes', async () => {
    const store = new MemoryJobStore();
    const group = await stored(store, [
      record(1, 'running', { taskTransitionTime: '2026-11-02T08:10:00Z', dispatchedAt: '2026-11-02T08:01:00Z' }),
      record(2, 'dispatched', { dispatchedAt: '2026-11-02T08:05:00Z', submittedAt: '2026-11-02T08:00:00Z' }),
      record(3, 'dispatching', { submittedAt: '2026-11-02T08:20:00Z' }),
    ]);
    const batch = scriptedBatch();
    await reconcileBatchJob({ store, batch }, BATCH_JOB, group, now);
    expect(batch.asked.since).toEqual(['2026-11-02T08:03:00.000Z']);
  });

  it.each([
    ['3 minutes', '2026-11-02T08:57:00.000Z', 1, 2],
    ['3 minutes less 1 ms', '2026-11-02T08:57:00.001Z', 0, 1],
  ])('lists the unfinished task ids when a placed job is unchanged for %s', async (_, updatedAt, unfinishedCalls, listCalls) => {
    const store = new MemoryJobStore();
    const group = await stored(store, [record(1, 'running', { updatedAt })]);
    const task: TaskSnapshot = { id: `job-${idOf(1)}`, state: 'running' };
    const batch = scriptedBatch([task], [task.id]);
    const out = await reconcileBatchJob({ store, batch }, BATCH_JOB, group, now);
    expect(batch.asked.unfinished).toBe(unfinishedCalls);
    expect(out.listCalls).toBe(listCalls);
  });

  it('does not list unfinished ids for a dispatching job however old (its task may not be added yet)', async () => {
    const store = new MemoryJobStore();
    const group = await stored(store, [record(1, 'dispatching', { updatedAt: '2026-11-02T08:00:00Z' })]);
    const batch = scriptedBatch();
    const out = await reconcileBatchJob({ store, batch }, BATCH_JOB, group, now);
    expect(batch.asked.unfinished).toBe(0);
    expect(out).toEqual({ changed: [], listCalls: 1, capped: false });
    expect(store.rows.get(idOf(1))!.record.state).toBe('dispatching');
  });

  it('fails the dispatched and running jobs of a Batch job that is gone, and leaves a dispatching one', async () => {
    const store = new MemoryJobStore();
    const group = await stored(store, [record(1, 'dispatched'), record(2, 'running'), record(3, 'dispatching')]);
    const batch = scriptedBatch([], [], new JobsError('BATCH_JOB_MISSING', 'gone'));
    const out = await reconcileBatchJob({ store, batch }, BATCH_JOB, group, now);
    const reason = 'the Batch job holding this task disappeared (deleted by hand?), so nothing runs this job any more; submit it again';
    for (const n of [1, 2]) {
      expect(store.rows.get(idOf(n))!.record).toMatchObject({
        state: 'failed',
        reason,
        lastError: { code: 'BATCH_JOB_MISSING', message: reason },
        failureCategory: 'servererror',
        endTime: '2026-11-02T09:00:00.000Z',
        updatedAt: '2026-11-02T09:00:00.000Z',
      });
    }
    expect(store.rows.get(idOf(3))!.record.state).toBe('dispatching');
    expect(out.changed.map((c) => [c.before.state, c.after.record.state])).toEqual([
      ['dispatched', 'failed'],
      ['running', 'failed'],
    ]);
  });

  it('passes on any other Batch error and changes nothing', async () => {
    const store = new MemoryJobStore();
    const group = await stored(store, [record(1, 'running', { updatedAt: '2026-11-02T08:00:00Z' })]);
    const batch = scriptedBatch([], [], new JobsError('BATCH_UNAVAILABLE', 'busy'));
    await expect(reconcileBatchJob({ store, batch }, BATCH_JOB, group, now)).rejects.toMatchObject({ code: 'BATCH_UNAVAILABLE' });
    expect(store.rows.get(idOf(1))!.record.state).toBe('running');
  });

  it('fails a due job whose task is neither changed nor unfinished, and keeps one whose task shows in the changed list', async () => {
    const store = new MemoryJobStore();
    const old = '2026-11-02T08:50:00Z';
    const group = await stored(store, [
      record(1, 'running', { updatedAt: old }),
      record(2, 'running', { updatedAt: old, taskTransitionTime: '2026-11-02T08:40:00Z' }),
      record(3, 'running', { updatedAt: old }),
    ]);
    // Job 2's task is in the changed list, unchanged, though the unfinished list (read first) missed it.
    const batch = scriptedBatch([{ id: `job-${idOf(2)}`, state: 'running', stateTransitionTime: '2026-11-02T08:40:00Z' }], [`job-${idOf(3)}`]);
    const out = await reconcileBatchJob({ store, batch }, BATCH_JOB, group, now);
    expect(store.rows.get(idOf(1))!.record).toMatchObject({ state: 'failed', lastError: { code: 'BATCH_TASK_MISSING' } });
    expect(store.rows.get(idOf(2))!.record.state).toBe('running');
    expect(store.rows.get(idOf(3))!.record.state).toBe('running');
    expect(out.changed.map((c) => c.after.record.id)).toEqual([idOf(1)]);
  });

  it('applies an array job\'s changed tasks together and keeps it while one index is unfinished', async () => {
    const store = new MemoryJobStore();
    const old = '2026-11-02T08:50:00Z';
    const group = await stored(store, [
      record(1, 'running', { updatedAt: old, taskStates: 'rrr' }, { array: { size: 3 } }),
      record(2, 'running', { updatedAt: old, taskStates: 'rr' }, { array: { size: 2 } }),
    ]);
    const done = (id: string): TaskSnapshot => ({ id, state: 'completed', result: 'success', exitCode: 0, stateTransitionTime: '2026-11-02T08:58:00Z', endTime: '2026-11-02T08:58:00Z' });
    const batch = scriptedBatch([done(`job-${idOf(1)}-0`), done(`job-${idOf(1)}-2`), done(`job-${idOf(2)}-0`), done(`job-${idOf(2)}-1`)], [`job-${idOf(1)}-1`]);
    const out = await reconcileBatchJob({ store, batch }, BATCH_JOB, group, now);
    expect(store.rows.get(idOf(1))!.record).toMatchObject({ state: 'running', taskStates: 'srs' });
    expect(store.rows.get(idOf(2))!.record).toMatchObject({ state: 'succeeded', taskStates: 'ss' });
    expect(out.changed.map((c) => c.after.record.id)).toEqual([idOf(1), idOf(2)]);
  });
});
