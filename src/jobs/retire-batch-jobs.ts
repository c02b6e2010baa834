// Retiring old long-lived Batch jobs. Tasks go under one Batch job per pool and month, and an active Batch job counts
// against the account's active-job quota (100-300) until it is terminated, so sync terminates the jobs of months
// that are over once nothing of ours can still need them. Terminating frees the quota; the completed Batch job and
// its task history are kept (Batch does not count completed jobs, and deleting them would only lose history).
import type { BatchPort } from './batch.port.js';
import type { JobRecord } from './job-record.js';
import { BATCH_JOB_PREFIX, monthOf, monthOfBatchJob } from './job-record.js';
import { isFinal } from './job-state.js';

/** A job submitted just before midnight on another clock may still be written after the month turns. */
export const MONTH_GRACE_MS = 60 * 60_000;
export const RETIRE_REASON = 'dsvm-pool: month over, all tasks completed';

/**
 * Batch jobs to consider for termination: ours, of a month over (by more than the grace), and that no non-final
 * record needs, neither one dispatched under it nor one not yet dispatched that was submitted in its month (dispatch
 * derives the Batch job from the submit month). Pure; `now` is passed in.
 */
export function batchJobsToRetire(activeBatchJobIds: string[], nonFinal: JobRecord[], now: Date): string[] {
  const openMonth = monthOf(new Date(now.getTime() - MONTH_GRACE_MS).toISOString());
  const pinned = new Set<string>();
  const pendingMonths = new Set<string>();
  for (const r of nonFinal) {
    if (isFinal(r.state)) continue;
    if (r.batch) pinned.add(r.batch.jobId.toLowerCase());
    else pendingMonths.add(monthOf(r.submittedAt));
  }
  return activeBatchJobIds.filter((id) => {
    const month = monthOfBatchJob(id);
    return month !== undefined && month < openMonth && !pinned.has(id.toLowerCase()) && !pendingMonths.has(month);
  });
}

export interface RetireOutcome {
  terminated: string[];
  /** Batch calls made (one list of jobs, then per candidate a task check and maybe a terminate). */
  calls: number;
  errors: { scope: string; error: unknown }[];
}

/** Terminates the candidates whose tasks have all completed; a Batch job with a task still active or running is left. */
export async function retireBatchJobs(batch: Pick<BatchPort, 'listActiveJobs' | 'hasUnfinishedTasks' | 'terminateJob'>, nonFinal: JobRecord[], now: Date): Promise<RetireOutcome> {
  const out: RetireOutcome = { terminated: [], calls: 1, errors: [] };
  let active;
  try {
    active = await batch.listActiveJobs(BATCH_JOB_PREFIX);
  } catch (error) {
    out.errors.push({ scope: 'batch jobs', error });
    return out;
  }
  for (const id of batchJobsToRetire(active.map((j) => j.id), nonFinal, now)) {
    try {
      out.calls++;
      if (await batch.hasUnfinishedTasks(id)) continue;
      out.calls++;
      await batch.terminateJob(id, RETIRE_REASON);
      out.terminated.push(id);
    } catch (error) {
      out.errors.push({ scope: `batch job ${id}`, error });
    }
  }
  return out;
}
