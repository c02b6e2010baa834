// Dispatch (queue trigger on `jobs`): route the job, mark it dispatching, add its Batch task (id derived from the
// job id, so a redelivered message finds TaskExists and counts it as success), then mark it dispatched with the
// Batch location. A transient Batch error (throttling, 5xx, a dropped connection) is recorded on the job and the job
// is re-enqueued with a growing delay: an outage of any length delays jobs and never fails them. Only a permanent
// error (Batch rejects the task) fails the job. What still throws (storage down, a bug) spends the message's
// dequeue count, and the poison handler decides.
import type { AddTaskOutcome, BatchPort, TaskSpec } from './batch.port.js';
import type { BatchPolicySource } from './batch-policy-source.port.js';
import { dispatchRetryDelaySeconds } from './dispatch-backoff.js';
import { describeError, isTransient, JobsError } from './errors.js';
import type { JobQueue } from './job-queue.port.js';
import type { JobRecord } from './job-record.js';
import { batchJobIdOf, taskIdOf } from './job-record.js';
import { isFinal } from './job-state.js';
import type { JobStore } from './job-store.port.js';
import { routeJob } from './route-job.js';
import { taskSpecFor } from './task-spec.js';
import { updateJob } from './update-job.js';

export interface DispatchDeps {
  store: JobStore;
  batch: Pick<BatchPort, 'ensureJob' | 'terminateTask'>;
  policies: BatchPolicySource;
  /** Adds one task; a TaskBatcher groups concurrent calls into addtaskcollection calls. */
  addTask(batchJobId: string, task: TaskSpec): Promise<AddTaskOutcome>;
  /** Where a job waiting out a Batch outage is re-enqueued (with a delay). */
  queue: JobQueue;
  /** Cap of the wait between two attempts, in seconds (DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS). */
  retryMaxSeconds: number;
}

/** `retrying`: Batch was throttling or unavailable; the job stays dispatching and comes back after a delay. */
export type DispatchResult = 'dispatched' | 'already-dispatched' | 'skipped' | 'failed' | 'missing' | 'retrying';

export interface DispatchOutcome {
  jobId: string;
  result: DispatchResult;
  detail: string;
}

export async function dispatchJob(deps: DispatchDeps, jobId: string, now: Date): Promise<DispatchOutcome> {
  const { store } = deps;
  const stored = await store.get(jobId);
  if (!stored) return { jobId, result: 'missing', detail: 'no such job; message dropped' };
  const early = settled(stored.record);
  if (early) return { jobId, ...early };

  const { policies } = await deps.policies.list();
  const route = routeJob(stored.record.spec, policies);
  const at = now.toISOString();
  if (!route.ok) {
    await updateJob(store, stored, (cur) =>
      settled(cur) ? undefined : { ...cur, state: 'failed', reason: route.reason, lastError: { code: route.code, message: route.reason }, endTime: at, updatedAt: at },
    );
    return { jobId, result: 'failed', detail: route.reason };
  }

  const policy = route.policy;
  const marked = await updateJob(store, stored, (cur) => {
    if (cur.state !== 'queued' && cur.state !== 'dispatching') return undefined;
    // A redelivered message keeps the location chosen first: its task may already exist there.
    const batch = cur.batch ?? { poolId: policy.poolId, jobId: batchJobIdOf(policy.poolId, cur.submittedAt), taskId: taskIdOf(cur.id) };
    return { ...cur, state: 'dispatching', pool: cur.pool ?? policy.name, batch, dispatchAttempts: cur.dispatchAttempts + 1, updatedAt: at };
  });
  if (!marked) return { jobId, result: 'missing', detail: 'job vanished' };
  const record = marked.stored.record;
  if (record.state !== 'dispatching') return { jobId, ...(settled(record) ?? { result: 'skipped', detail: `state ${record.state}` }) };
  const location = record.batch!;

  let outcome: AddTaskOutcome;
  try {
    await deps.batch.ensureJob(location.jobId, location.poolId);
    outcome = await deps.addTask(location.jobId, taskSpecFor(record, policy, route.requiredSlots));
  } catch (error) {
    // Only classified errors are judged here; anything else is a bug or a storage failure and is thrown.
    if (!(error instanceof JobsError)) throw error;
    outcome = { taskId: location.taskId, status: 'failed', ...describeError(error), transient: isTransient(error) };
  }
  if (outcome.status === 'failed') {
    const lastError = { code: outcome.code, message: outcome.message };
    if (outcome.transient) {
      const delaySeconds = dispatchRetryDelaySeconds(record.dispatchAttempts, deps.retryMaxSeconds);
      await updateJob(store, marked.stored, (cur) => (cur.state === 'dispatching' ? { ...cur, lastError, updatedAt: at } : undefined));
      // Send the next attempt before this message is settled: if the send fails, the throw redelivers this one.
      await deps.queue.enqueue(jobId, { delaySeconds });
      return { jobId, result: 'retrying', detail: `${outcome.code}: ${outcome.message}; attempt ${record.dispatchAttempts}, next in ${delaySeconds} s` };
    }
    const reason = `Batch rejected the task (${outcome.code}: ${outcome.message}); fix the job spec and submit again`;
    await updateJob(store, marked.stored, (cur) => (cur.state === 'dispatching' ? { ...cur, state: 'failed', reason, lastError, endTime: at, updatedAt: at } : undefined));
    return { jobId, result: 'failed', detail: reason };
  }

  const done = await updateJob(store, marked.stored, (cur) =>
    cur.state === 'dispatching' ? { ...cur, state: 'dispatched', dispatchedAt: at, lastError: undefined, updatedAt: at } : undefined,
  );
  const final = done?.stored.record;
  if (final && (final.state === 'cancelling' || final.state === 'cancelled')) {
    // Cancelled while we were adding the task: the cancel may not have seen it, so stop it here.
    await deps.batch.terminateTask(location.jobId, location.taskId);
    return { jobId, result: 'skipped', detail: 'cancelled while dispatching; task terminated' };
  }
  return { jobId, result: 'dispatched', detail: `${outcome.status === 'exists' ? 'task existed' : 'task added'} in ${location.jobId} on pool ${location.poolId}` };
}

function settled(r: JobRecord): { result: DispatchResult; detail: string } | undefined {
  if (isFinal(r.state) || r.state === 'cancelling') return { result: 'skipped', detail: `job is ${r.state}` };
  if (r.state === 'dispatched' || r.state === 'running') return { result: 'already-dispatched', detail: `job is ${r.state}` };
  return undefined;
}
