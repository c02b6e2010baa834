// Sync for one long-lived Batch job: apply the tasks changed since the oldest state we know, and notice tasks that
// vanished. A Batch job that is gone (JobNotFound: deleted by hand, or a Batch side lost with the local emulator)
// fails its dispatched/running jobs. A task that is gone while its Batch job lives is found by a second, cheap list
// of the unfinished tasks' ids (paged, $select=id, capped), made only when some job has not changed for a while:
// a job that is neither unfinished in Batch nor changed since we last saw it has no task any more.
import { reconcileArray } from './array-tasks.js';
import type { BatchPort, TaskSnapshot } from './batch.port.js';
import type { JobRecord, StoredJob } from './job-record.js';
import type { JobStore } from './job-store.port.js';
import { jobOfTask } from './job-record.js';
import { reconcileTask } from './reconcile-task.js';
import { updateJob } from './update-job.js';

/** A job unchanged this long is checked against the unfinished-task list (also the grace after a task add). */
export const VERIFY_AFTER_MS = 3 * 60_000;
/** At most this many unfinished task ids are read per Batch job and tick (10 pages of 1,000). */
export const MAX_UNFINISHED_TASKS = 10_000;
// Clock skew between our clock and Batch's stateTransitionTime.
const SKEW_MS = 2 * 60_000;

export const TASK_VANISHED_REASON =
  'the Batch task disappeared (its Batch job or the task was deleted, or Batch lost it), so nothing runs this job any more; submit it again';
export const BATCH_JOB_VANISHED_REASON =
  'the Batch job holding this task disappeared (deleted by hand?), so nothing runs this job any more; submit it again';

export interface BatchJobReconcile {
  /** Records changed, with the record as it was before. */
  changed: { before: JobRecord; after: StoredJob }[];
  listCalls: number;
  /** The unfinished-task list was longer than the cap: vanished tasks could not be told apart this tick. */
  capped: boolean;
}

/** `group`: the non-final records located in `batchJobId` (dispatching, dispatched or running). */
export async function reconcileBatchJob(
  deps: { store: JobStore; batch: Pick<BatchPort, 'listTasksChangedSince' | 'listUnfinishedTaskIds'> },
  batchJobId: string,
  group: StoredJob[],
  now: Date,
): Promise<BatchJobReconcile> {
  const { store, batch } = deps;
  const out: BatchJobReconcile = { changed: [], listCalls: 0, capped: false };
  const vanish = async (s: StoredJob, reason: string, code: string) => {
    const at = now.toISOString();
    const done = await updateJob(store, s, (cur) =>
      cur.state === 'dispatched' || cur.state === 'running'
        ? { ...cur, state: 'failed', reason, lastError: { code, message: reason }, failureCategory: 'servererror', endTime: at, updatedAt: at }
        : undefined,
    );
    if (done?.changed) out.changed.push({ before: s.record, after: done.stored });
  };
  const placed = group.filter((s) => s.record.state === 'dispatched' || s.record.state === 'running');
  const due = placed.filter((s) => now.getTime() - Date.parse(s.record.updatedAt) >= VERIFY_AFTER_MS);
  const since = Math.min(...group.map((s) => Date.parse(s.record.taskTransitionTime ?? s.record.dispatchedAt ?? s.record.submittedAt))) - SKEW_MS;

  let unfinished: { ids: Set<string>; truncated: boolean } | undefined;
  let tasks: TaskSnapshot[];
  try {
    // Unfinished ids first: a task finishing between the two calls then shows in the changed-since list.
    if (due.length > 0) {
      out.listCalls++;
      unfinished = await batch.listUnfinishedTaskIds(batchJobId, MAX_UNFINISHED_TASKS);
    }
    out.listCalls++;
    tasks = await batch.listTasksChangedSince(batchJobId, new Date(since));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'BATCH_JOB_MISSING') throw error;
    for (const s of placed) await vanish(s, BATCH_JOB_VANISHED_REASON, 'BATCH_JOB_MISSING');
    return out;
  }

  const byId = new Map(group.map((s) => [s.record.id, s]));
  const seen = new Set<string>();
  // An array job's tasks (job-{id}-{index}) are applied together, once per job.
  const arrays = new Map<string, Map<number, TaskSnapshot>>();
  for (const task of tasks) {
    const of = jobOfTask(task.id);
    const stored = of ? byId.get(of.jobId) : undefined;
    if (!of || !stored) continue;
    seen.add(stored.record.id);
    if (of.index !== undefined) {
      arrays.set(of.jobId, (arrays.get(of.jobId) ?? new Map<number, TaskSnapshot>()).set(of.index, task));
      continue;
    }
    const done = await updateJob(store, stored, (cur) => reconcileTask(cur, task, now));
    if (done?.changed) out.changed.push({ before: stored.record, after: done.stored });
  }
  for (const [jobId, tasksOfJob] of arrays) {
    const stored = byId.get(jobId)!;
    const done = await updateJob(store, stored, (cur) => reconcileArray(cur, tasksOfJob, now));
    if (done?.changed) out.changed.push({ before: stored.record, after: done.stored });
  }
  if (!unfinished) return out;
  if (unfinished.truncated) {
    out.capped = true;
    return out;
  }
  // A job with any unfinished task (an array job has one per index) still has work in Batch.
  const unfinishedJobs = new Set([...unfinished.ids].map((id) => jobOfTask(id)?.jobId));
  for (const s of due) {
    if (!seen.has(s.record.id) && !unfinishedJobs.has(s.record.id)) await vanish(s, TASK_VANISHED_REASON, 'BATCH_TASK_MISSING');
  }
  return out;
}
