// Terminate Job: ends the job's active and running tasks as the terminate-task API does, then completes the job.
// Azure passes through `terminating` while it ends the tasks and runs release tasks; here that takes no time.
import type { BatchModel } from './batch-model.js';
import type { JobRecord } from './batch-records.js';

/** 'completed' when the job had already completed (Batch answers 409 JobCompleted). */
export function terminateJob(model: BatchModel, job: JobRecord, reason: string | undefined, now: number): 'terminated' | 'completed' {
  model.sync(now);
  if (job.state === 'completed') return 'completed';
  for (const task of model.tasks.values()) {
    if (task.jobId === job.id && task.state !== 'completed') model.terminateTask(task, now);
  }
  job.state = 'completed';
  job.stateTransitionTime = now;
  job.endTime = now;
  job.terminateReason = reason ?? 'UserTerminate';
  model.touch(job, now);
  return 'terminated';
}
