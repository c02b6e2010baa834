// Whether a queued job may go to Batch now: its dependencies (own earlier jobs that must succeed first) and the
// pool's per-user limits (fair share). A job that may not go stays `queued` with `waitingFor` saying why; sync
// re-enqueues held jobs every tick, so it goes as soon as the dependency succeeds or the user's own jobs finish.
import { unfinishedTasks } from './array-tasks.js';
import type { DescribedPool } from './batch-policy.js';
import type { JobRecord } from './job-record.js';
import type { JobState } from './job-state.js';
import type { JobStore, UserUsage } from './job-store.port.js';

export type Admission = { verdict: 'go' } | { verdict: 'wait'; reason: string } | { verdict: 'fail'; reason: string };

/** Dependencies: every one must have succeeded; a failed, cancelled or vanished one fails the job. */
export async function checkDependencies(store: Pick<JobStore, 'get'>, record: JobRecord): Promise<Admission> {
  const ids = record.spec.dependsOn ?? [];
  if (ids.length === 0) return { verdict: 'go' };
  const deps = await Promise.all(ids.map(async (id) => ({ id, stored: await store.get(id) })));
  const waiting: string[] = [];
  for (const { id, stored } of deps) {
    const d = stored?.record;
    if (!d || d.user !== record.user) return { verdict: 'fail', reason: `dependency ${id} no longer exists; submit again without it` };
    if (d.state === 'failed' || d.state === 'cancelled') {
      return { verdict: 'fail', reason: `dependency ${d.name} (${id}) ${d.state}${d.reason ? `: ${d.reason}` : ''}; this job will not run. Fix it and submit both again` };
    }
    if (d.state !== 'succeeded') waiting.push(`${d.name} (${id}) is ${d.state}`);
  }
  return waiting.length ? { verdict: 'wait', reason: `waiting for your job${waiting.length > 1 ? 's' : ''} ${waiting.join('; ')} to succeed` } : { verdict: 'go' };
}

/** What a job holds on its pool while in Batch: GPUs and task slots of its unfinished tasks. */
export function footprint(record: JobRecord): { gpus: number; tasks: number } {
  const tasks = unfinishedTasks(record);
  return { gpus: record.spec.resources.gpus * tasks, tasks };
}

const IN_BATCH: readonly JobState[] = ['dispatching', 'dispatched', 'running', 'cancelling'];
const WAITING_FOR_NODE: readonly JobState[] = ['dispatching', 'dispatched'];


export function usageOf(records: JobRecord[], pool: string): UserUsage {
  const u: UserUsage = { gpus: 0, tasks: 0, queued: 0, held: 0 };
  for (const r of records) {
    if (r.state === 'queued' && r.waitingFor && (r.pool ?? r.spec.pool) === pool) u.held++;
    if (r.pool !== pool || !IN_BATCH.includes(r.state)) continue;
    const f = footprint(r);
    u.gpus += f.gpus;
    u.tasks += f.tasks;
    if (WAITING_FOR_NODE.includes(r.state)) u.queued++;
  }
  return u;
}

export function hasUserLimits(pool: DescribedPool): boolean {
  return pool.maxRunningGpusPerUser !== undefined || pool.maxRunningJobsPerUser !== undefined || pool.maxQueuedJobsPerUser !== undefined;
}

/**
 * Fair share, pure: may `record` go to `pool` given the user's other jobs there? A job larger than a limit on its
 * own (an array of 10 one-GPU tasks under a limit of 2) goes when the user has nothing else in use, so it is never
 * held forever. Limits are per user and per pool.
 */
export function fairShare(record: JobRecord, pool: DescribedPool, others: JobRecord[]): Admission {
  const used = usageOf(others.filter((o) => o.id !== record.id), pool.name);
  const own = footprint(record);
  const idle = used.tasks === 0;
  const gpuLimit = pool.maxRunningGpusPerUser;
  if (gpuLimit !== undefined && own.gpus > 0 && used.gpus + own.gpus > gpuLimit && !idle) {
    return { verdict: 'wait', reason: `your GPU limit on pool '${pool.name}': ${used.gpus} of ${gpuLimit} in use, this job needs ${own.gpus}; it starts when your own jobs there finish` };
  }
  const taskLimit = pool.maxRunningJobsPerUser;
  if (taskLimit !== undefined && used.tasks + own.tasks > taskLimit && !idle) {
    return { verdict: 'wait', reason: `your job limit on pool '${pool.name}': ${used.tasks} of ${taskLimit} task(s) in use; it starts when your own jobs there finish` };
  }
  const queueLimit = pool.maxQueuedJobsPerUser;
  if (queueLimit !== undefined && used.queued + 1 > queueLimit && used.queued > 0) {
    return { verdict: 'wait', reason: `your queued-job limit on pool '${pool.name}': ${used.queued} of ${queueLimit} job(s) already wait for a node; it goes when one of them starts` };
  }
  return { verdict: 'go' };
}

/**
 * After marking a job dispatching, concurrent dispatches of the same user may each have seen room for one more. The
 * older job wins: the check is repeated counting only jobs already past dispatching and dispatching jobs submitted
 * before this one; a job that then exceeds the limit backs off to queued.
 */
export function fairShareAfterMark(record: JobRecord, pool: DescribedPool, others: JobRecord[]): Admission {
  const ahead = others.filter((o) => o.id !== record.id && (o.state !== 'dispatching' || o.submittedAt < record.submittedAt || (o.submittedAt === record.submittedAt && o.id < record.id)));
  return fairShare({ ...record, state: 'queued' }, pool, ahead);
}
