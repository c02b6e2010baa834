// A message that reached `jobs-poison` made dispatch throw maxDequeueCount times (storage down, a bug). If the last
// error recorded on the job is transient (Batch or storage busy or unreachable), the job is re-enqueued with a delay:
// an outage never fails a job. Otherwise the job fails with that error, so no job stays queued forever.
import { dispatchRetryDelaySeconds } from './dispatch-backoff.js';
import { isTransient } from './errors.js';
import type { JobQueue } from './job-queue.port.js';
import type { JobStore } from './job-store.port.js';
import { updateJob } from './update-job.js';

export interface PoisonDeps {
  store: JobStore;
  queue: JobQueue;
  /** Cap of the re-enqueue delay, in seconds (DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS). */
  retryMaxSeconds: number;
}

export type PoisonOutcome = 'failed' | 'requeued' | 'unchanged' | 'missing';

export async function handlePoisonedJob(deps: PoisonDeps, jobId: string, now: Date): Promise<PoisonOutcome> {
  const at = now.toISOString();
  let requeue = false;
  const outcome = await updateJob(deps.store, jobId, (cur) => {
    requeue = false;
    if (cur.state !== 'queued' && cur.state !== 'dispatching') return undefined;
    if (cur.lastError && isTransient(cur.lastError)) {
      requeue = true;
      return { ...cur, updatedAt: at };
    }
    const last = cur.lastError ? `${cur.lastError.code}: ${cur.lastError.message}` : 'no error was recorded';
    const reason = `dispatch failed after ${cur.dispatchAttempts} attempt(s); last error ${last}. Submit the job again; if it keeps failing, tell an admin.`;
    return { ...cur, state: 'failed', reason, endTime: at, updatedAt: at };
  });
  if (!outcome) return 'missing';
  if (!outcome.changed) return 'unchanged';
  if (!requeue) {
    // Failed here, maybe before dispatch ever wrote the admins' `all` index row (idempotent).
    await deps.store.addIndexes(outcome.stored.record, 'all');
    return 'failed';
  }
  await deps.queue.enqueue(jobId, { delaySeconds: dispatchRetryDelaySeconds(outcome.stored.record.dispatchAttempts, deps.retryMaxSeconds) });
  return 'requeued';
}
