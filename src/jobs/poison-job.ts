// A message that reached `jobs-poison` failed dispatch maxDequeueCount times: fail its job with the last dispatch
// error, so no job stays queued forever.
import type { JobStore } from './job-store.port.js';
import { updateJob } from './update-job.js';

export async function failPoisonedJob(store: JobStore, jobId: string, now: Date): Promise<'failed' | 'unchanged' | 'missing'> {
  const at = now.toISOString();
  const outcome = await updateJob(store, jobId, (cur) => {
    if (cur.state !== 'queued' && cur.state !== 'dispatching') return undefined;
    const last = cur.lastError ? `${cur.lastError.code}: ${cur.lastError.message}` : 'no error was recorded';
    const reason = `dispatch failed after ${cur.dispatchAttempts} attempt(s); last error ${last}. Submit the job again; if it keeps failing, tell an admin.`;
    return { ...cur, state: 'failed', reason, endTime: at, updatedAt: at };
  });
  if (!outcome) return 'missing';
  return outcome.changed ? 'failed' : 'unchanged';
}
