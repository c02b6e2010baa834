// Job views as the API shows them: the record, plus for a job still waiting to start on a pool that cannot grow,
// the sentence sync recorded on that pool (one point read per pool in the answer, never per job); for a job whose
// dispatch is waiting out a Batch outage, what Batch last answered.
import { isTransient } from './errors.js';
import type { JobRecord } from './job-record.js';
import type { JobState } from './job-state.js';
import type { JobStore } from './job-store.port.js';
import { toJobView, type JobView } from './job-view.js';

/** States in which a job waits for a node: its task is (being) added, it has not started. */
const WAITING: readonly JobState[] = ['dispatching', 'dispatched'];

export async function describeJobs(store: Pick<JobStore, 'getPoolState'>, records: JobRecord[]): Promise<JobView[]> {
  const problems = new Map<string, Promise<string | undefined>>();
  const problemOf = (pool: string) => {
    let p = problems.get(pool);
    if (!p) {
      // A status line is a courtesy: a failed read shows the job without it rather than failing the request.
      p = store.getPoolState(pool).then((s) => s.problem, () => undefined);
      problems.set(pool, p);
    }
    return p;
  };
  return Promise.all(
    records.map(async (r) => toJobView(r, dispatchWait(r) ?? (r.pool && WAITING.includes(r.state) ? await problemOf(r.pool) : undefined))),
  );
}

/** Why a job still queued or dispatching waits: Batch answered with a transient error; dispatch tries again. */
export function dispatchWait(r: JobRecord): string | undefined {
  if ((r.state !== 'queued' && r.state !== 'dispatching') || !r.lastError || !isTransient(r.lastError)) return undefined;
  return `Azure Batch is busy or unreachable (${r.lastError.code}: ${r.lastError.message}); dispatch tries again with a growing delay (attempt ${r.dispatchAttempts} so far), and the job keeps its place`;
}
