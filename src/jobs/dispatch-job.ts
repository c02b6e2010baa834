// Dispatch (queue trigger on `jobs`): admit the job (dependencies), route it to a described pool, apply the pool's
// per-user limits, mark it dispatching, add its Batch task(s) (ids derived from the job id, so a redelivered message
// finds TaskExists and counts it as success), then mark it dispatched. A job that may not go yet stays queued with
// `waitingFor`. A transient Batch error (throttling, 5xx, a dropped connection) is recorded on the job and the job is
// re-enqueued with a growing delay: an outage of any length delays jobs and never fails them. Only a permanent error
// (Batch rejects the task) fails the job. What still throws (storage down, a bug) spends the message's dequeue
// count, and the poison handler decides.
import type { AddTaskOutcome, BatchPort, TaskSpec } from './batch.port.js';
import { addJobTasks } from './add-job-tasks.js';
import { checkDependencies, fairShare, fairShareAfterMark, hasUserLimits } from './admission.js';
import { TASK } from './array-tasks.js';
import { cancelArrayTasks } from './cancel-job.js';
import { dispatchRetryDelaySeconds } from './dispatch-backoff.js';
import { describeError, isTransient, JobsError } from './errors.js';
import type { JobQueue } from './job-queue.port.js';
import type { JobRecord, StoredJob } from './job-record.js';
import { batchJobIdOf, taskIdOf } from './job-record.js';
import { isFinal } from './job-state.js';
import type { JobStore } from './job-store.port.js';
import type { PoolSource } from './pool-catalog.js';
import { routeJob, type RouteResult } from './route-job.js';
import { updateJob } from './update-job.js';

export interface DispatchDeps {
  store: JobStore;
  batch: Pick<BatchPort, 'ensureJob' | 'terminateTask' | 'addTasks'>;
  pools: PoolSource;
  /** Adds one task; a TaskBatcher groups concurrent calls into addtaskcollection calls. */
  addTask(batchJobId: string, task: TaskSpec): Promise<AddTaskOutcome>;
  /** Where a job waiting out a Batch outage is re-enqueued (with a delay). */
  queue: JobQueue;
  /** Cap of the wait between two attempts, in seconds (DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS). */
  retryMaxSeconds: number;
}

/**
 * `retrying`: Batch was throttling or unavailable; the job stays dispatching and comes back after a delay.
 * `waiting`: a dependency or the pool's per-user limit holds the job queued, with `waitingFor` saying why.
 */
export type DispatchResult = 'dispatched' | 'already-dispatched' | 'skipped' | 'failed' | 'missing' | 'retrying' | 'waiting';

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
  if (early) {
    // A job that ended before dispatch ever took it (cancelled while queued) still belongs in the admins' listing.
    if (isFinal(stored.record.state) && stored.record.dispatchAttempts === 0) await store.addIndexes(stored.record, 'all');
    return { jobId, ...early };
  }
  // Submit writes the `active` index row beside the record; the `all` row (admins' listing), and the `active` row if
  // submit's write of it failed while the record and message were stored, are written here.
  if (stored.record.state === 'queued' && stored.record.dispatchAttempts === 0 && !stored.record.waitingFor) await store.addIndexes(stored.record);
  const at = now.toISOString();
  const fail = async (s: StoredJob, reason: string, code: string): Promise<DispatchOutcome> => {
    await updateJob(store, s, (cur) => (settled(cur) ? undefined : { ...cur, state: 'failed', reason, waitingFor: undefined, lastError: { code, message: reason }, endTime: at, updatedAt: at }));
    return { jobId, result: 'failed', detail: reason };
  };
  const hold = async (s: StoredJob, reason: string, pool?: string): Promise<DispatchOutcome> => {
    await updateJob(store, s, (cur) =>
      (cur.state === 'queued' || cur.state === 'dispatching') && (cur.waitingFor !== reason || cur.state !== 'queued') ? { ...cur, state: 'queued', pool: cur.pool ?? pool, waitingFor: reason, updatedAt: at } : undefined,
    );
    return { jobId, result: 'waiting', detail: reason };
  };

  if (stored.record.state === 'queued') {
    const dependencies = await checkDependencies(store, stored.record);
    if (dependencies.verdict === 'fail') return fail(stored, dependencies.reason, 'DEPENDENCY_FAILED');
    if (dependencies.verdict === 'wait') return hold(stored, dependencies.reason);
  }

  const route = await routeFresh(deps.pools, stored.record);
  if (!route.ok) return fail(stored, route.reason, route.code);
  const pool = route.policy;
  const limited = hasUserLimits(pool) && stored.record.state === 'queued';
  if (limited) {
    const share = fairShare(stored.record, pool, await store.listUserActive(stored.record.user));
    if (share.verdict === 'wait') return hold(stored, share.reason, pool.name);
  }

  const marked = await updateJob(store, stored, (cur) => {
    if (cur.state !== 'queued' && cur.state !== 'dispatching') return undefined;
    // A redelivered message keeps the location chosen first: its tasks may already exist there.
    const batch = cur.batch ?? { poolId: pool.poolId, jobId: batchJobIdOf(pool.poolId, cur.submittedAt), taskId: taskIdOf(cur.id) };
    const taskStates = cur.spec.array ? (cur.taskStates ?? TASK.waiting.repeat(cur.spec.array.size)) : undefined;
    return { ...cur, state: 'dispatching', pool: cur.pool ?? pool.name, batch, taskStates, waitingFor: undefined, dispatchAttempts: cur.dispatchAttempts + 1, updatedAt: at };
  });
  if (!marked) return { jobId, result: 'missing', detail: 'job vanished' };
  let record = marked.stored.record;
  if (record.state !== 'dispatching') return { jobId, ...(settled(record) ?? { result: 'skipped', detail: `state ${record.state}` }) };
  if (limited) {
    const again = fairShareAfterMark(record, pool, await store.listUserActive(record.user));
    if (again.verdict === 'wait') return hold(marked.stored, again.reason, pool.name);
  }
  const location = record.batch!;

  let added;
  try {
    await deps.batch.ensureJob(location.jobId, location.poolId);
    added = await addJobTasks(deps.batch, deps.addTask, record, pool, route.requiredSlots);
  } catch (error) {
    // Only classified errors are judged here; anything else is a bug or a storage failure and is thrown.
    if (!(error instanceof JobsError)) throw error;
    added = { added: 0, existed: 0, failure: { taskId: location.taskId, status: 'failed' as const, ...describeError(error), transient: isTransient(error) } };
  }
  const failure = added.failure;
  if (failure) {
    const lastError = { code: failure.code, message: failure.message };
    if (failure.transient) {
      const delaySeconds = dispatchRetryDelaySeconds(record.dispatchAttempts, deps.retryMaxSeconds);
      await updateJob(store, marked.stored, (cur) => (cur.state === 'dispatching' ? { ...cur, lastError, updatedAt: at } : undefined));
      // Send the next attempt before this message is settled: if the send fails, the throw redelivers this one.
      await deps.queue.enqueue(jobId, { delaySeconds });
      return { jobId, result: 'retrying', detail: `${failure.code}: ${failure.message}; attempt ${record.dispatchAttempts}, next in ${delaySeconds} s` };
    }
    const reason = `Batch rejected the task (${failure.code}: ${failure.message}); fix the job spec and submit again`;
    const out = await fail(marked.stored, reason, failure.code);
    if (record.spec.array) await cancelArrayTasks(deps.batch, record).catch(() => undefined);
    return out;
  }

  const done = await updateJob(store, marked.stored, (cur) =>
    cur.state === 'dispatching' ? { ...cur, state: 'dispatched', dispatchedAt: at, lastError: undefined, updatedAt: at } : undefined,
  );
  record = done?.stored.record ?? record;
  if (record.state === 'cancelling' || record.state === 'cancelled') {
    // Cancelled while we were adding the tasks: the cancel may not have seen them, so stop them here.
    if (record.spec.array) await cancelArrayTasks(deps.batch, record);
    else await deps.batch.terminateTask(location.jobId, location.taskId);
    return { jobId, result: 'skipped', detail: 'cancelled while dispatching; task(s) terminated' };
  }
  const what = record.spec.array ? `${added.added} task(s) added, ${added.existed} existed` : added.existed ? 'task existed' : 'task added';
  return { jobId, result: 'dispatched', detail: `${what} in ${location.jobId} on pool ${location.poolId}` };
}

/** Routes with the cached pools; a job pinned to a pool not known (or not usable) yet is routed again from fresh reads. */
async function routeFresh(pools: PoolSource, record: JobRecord): Promise<RouteResult> {
  const cached = await pools.list();
  const first = routeJob(record.spec, cached.pools, cached.unusable);
  if (first.ok || (first.code !== 'ROUTE_UNKNOWN_POOL' && first.code !== 'ROUTE_POOL_UNUSABLE')) return first;
  const fresh = await pools.list({ fresh: true });
  return routeJob(record.spec, fresh.pools, fresh.unusable);
}

function settled(r: JobRecord): { result: DispatchResult; detail: string } | undefined {
  if (isFinal(r.state) || r.state === 'cancelling') return { result: 'skipped', detail: `job is ${r.state}` };
  if (r.state === 'dispatched' || r.state === 'running') return { result: 'already-dispatched', detail: `job is ${r.state}` };
  return undefined;
}
