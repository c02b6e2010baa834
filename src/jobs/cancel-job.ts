// Cancel: a queued job is cancelled at once (there is no Batch task); a dispatching, dispatched or running job
// goes to cancelling, its task(s) are terminated, then it is cancelled. An array job terminates every task that has
// not finished ("cancel cancels the rest"). If terminating fails (Batch busy), the job stays cancelling and sync
// finishes the cancel on a later tick.
import { TASK } from './array-tasks.js';
import type { BatchPort } from './batch.port.js';
import { JobsError } from './errors.js';
import type { JobRecord } from './job-record.js';
import { taskIdOf } from './job-record.js';
import type { JobStore } from './job-store.port.js';
import { updateJob } from './update-job.js';
import { visibleTo, type Viewer } from './view-job.js';

type Terminate = Pick<BatchPort, 'terminateTask'>;

export async function cancelJob(deps: { store: JobStore; batch: Terminate }, id: string, viewer: Viewer, now: Date): Promise<JobRecord> {
  const stored = await deps.store.get(id);
  if (!stored || !visibleTo(stored.record, viewer)) throw new JobsError('JOB_NOT_FOUND', `no job ${id} that you can see`);
  const at = now.toISOString();
  const reason = `cancelled by ${viewer.user}`;
  const marked = await updateJob(deps.store, stored, (cur) => {
    if (cur.state === 'queued') return { ...cur, state: 'cancelled', reason, waitingFor: undefined, cancelRequestedAt: at, endTime: at, updatedAt: at };
    if (cur.state === 'dispatching' || cur.state === 'dispatched' || cur.state === 'running') {
      return { ...cur, state: 'cancelling', reason, cancelRequestedAt: at, updatedAt: at };
    }
    return undefined;
  });
  const record = marked!.stored.record;
  if (record.state === 'succeeded' || record.state === 'failed') {
    throw new JobsError('JOB_FINAL', `job ${id} already ${record.state}; there is nothing to cancel`);
  }
  // A job cancelled while queued was never taken by dispatch, which writes the admins' `all` index row: write it here,
  // so the job is in everyone's listing. Best effort: dispatch writes it too when the job's message comes.
  if (record.state === 'cancelled' && marked!.changed) await deps.store.addIndexes(record, 'all').catch(() => undefined);
  if (record.state !== 'cancelling') return record;
  return (await finishCancel(deps, marked!.stored.record.id, now)) ?? record;
}

const TERMINATE_CONCURRENCY = 16;

/** Terminates every unfinished task of an array job; returns the task states with those marked cancelled. */
export async function cancelArrayTasks(batch: Terminate, record: JobRecord): Promise<string> {
  const location = record.batch!;
  const chars = (record.taskStates ?? TASK.waiting.repeat(record.spec.array!.size)).split('');
  const open = chars.flatMap((c, i) => (c === TASK.waiting || c === TASK.running ? [i] : []));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(TERMINATE_CONCURRENCY, open.length) }, async () => {
      while (next < open.length) {
        const index = open[next++]!;
        await batch.terminateTask(location.jobId, taskIdOf(record.id, index));
        chars[index] = TASK.cancelled;
      }
    }),
  );
  return chars.join('');
}

/** Terminates the task(s) of a cancelling job and marks it cancelled; undefined when Batch could not be reached. */
export async function finishCancel(deps: { store: JobStore; batch: Terminate }, id: string, now: Date): Promise<JobRecord | undefined> {
  const stored = await deps.store.get(id);
  if (!stored || stored.record.state !== 'cancelling') return stored?.record;
  const location = stored.record.batch;
  let taskStates = stored.record.taskStates;
  if (location) {
    try {
      if (stored.record.spec.array) taskStates = await cancelArrayTasks(deps.batch, stored.record);
      else await deps.batch.terminateTask(location.jobId, location.taskId);
    } catch {
      return undefined;
    }
  }
  const at = now.toISOString();
  const done = await updateJob(deps.store, stored, (cur) => (cur.state === 'cancelling' ? { ...cur, state: 'cancelled', taskStates: cur.spec.array ? taskStates : undefined, endTime: at, updatedAt: at } : undefined));
  return done?.stored.record;
}
