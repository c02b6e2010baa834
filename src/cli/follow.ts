// Following a job until it is final: a progress line on a terminal (state, tasks, why it waits, elapsed time),
// otherwise one message per state change on stderr.
import type { ApiClient } from './client.js';
import { EXIT, exitCodeForState } from './exit-codes.js';
import type { Output } from './output.js';

export interface JobView {
  id: string;
  name: string;
  state: string;
  pool?: string;
  user: string;
  submittedAt: string;
  exitCode?: number;
  reason?: string;
  waitingFor?: string;
  tasks?: { total: number; waiting: number; running: number; succeeded: number; failed: number; cancelled: number };
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** The frames of the progress line's spinner. */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function describe(job: JobView, out: Output): string {
  const parts = [`${job.name} (${job.id})`, out.state(job.state)];
  if (job.tasks) parts.push(`tasks ${job.tasks.succeeded + job.tasks.failed + job.tasks.cancelled}/${job.tasks.total} done, ${job.tasks.running} running${job.tasks.failed ? `, ${job.tasks.failed} failed` : ''}`);
  if (job.pool) parts.push(`on ${job.pool}`);
  if (job.waitingFor) parts.push(`— ${job.waitingFor}`);
  return parts.join('  ');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the job is final; returns the exit code of its outcome (or EXIT.timeout). */
export async function followJob(client: ApiClient, out: Output, id: string, o: { timeoutSeconds?: number; intervalMs: number }): Promise<{ code: number; job?: JobView }> {
  const started = Date.now();
  let lastState = '';
  for (let tick = 0; ; tick++) {
    const job = (await client.call<JobView>('GET', `/jobs/${encodeURIComponent(id)}`)).body;
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (job.state !== lastState && !out.isTTY) out.message(`${new Date().toISOString()}  ${describe(job, out)}`);
    lastState = job.state;
    if (FINAL.has(job.state)) {
      out.clearProgress();
      return { code: exitCodeForState(job.state), job };
    }
    out.progress(`${SPINNER[tick % SPINNER.length]} ${describe(job, out)}  ${elapsed}s`);
    if (o.timeoutSeconds !== undefined && elapsed >= o.timeoutSeconds) {
      out.clearProgress();
      out.message(`still ${job.state} after ${o.timeoutSeconds}s; stopped waiting (the job goes on)`);
      return { code: EXIT.timeout, job };
    }
    await sleep(o.intervalMs);
  }
}
