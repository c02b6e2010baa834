// Job sync (timer): reconcile Batch task states into job records, finish cancels, re-enqueue stranded jobs, and
// size each Batch pool from the jobs that need it. Reads the small `active` index, never the whole table; asks
// Batch per long-lived Batch job (not per job) for the tasks changed since the oldest state we know, and notices
// tasks and Batch jobs that vanished (src/jobs/reconcile-batch-job.ts), so every job ends final.
import type { BatchPort, PoolSnapshot } from './batch.port.js';
import type { BatchPolicySource } from './batch-policy-source.port.js';
import { finishCancel } from './cancel-job.js';
import { describeError } from './errors.js';
import type { JobQueue } from './job-queue.port.js';
import type { JobRecord, StoredJob } from './job-record.js';
import { isFinal } from './job-state.js';
import type { JobStore } from './job-store.port.js';
import { MAX_UNFINISHED_TASKS, reconcileBatchJob } from './reconcile-batch-job.js';
import { retireBatchJobs } from './retire-batch-jobs.js';
import { sizePools, type SizingReport } from './size-pools.js';
import { updateJob } from './update-job.js';

export interface SyncDeps {
  store: JobStore;
  queue: JobQueue;
  batch: BatchPort;
  policies: BatchPolicySource;
  /** Told what each pool read found (the pool catalog's cache). */
  remember(poolId: string, snapshot: PoolSnapshot | undefined): void;
  /** A queued/dispatching record untouched this long is re-enqueued (a crash between write and enqueue). */
  requeueAfterMinutes: number;
}

export interface SyncReport extends SizingReport {
  activeJobs: number;
  transitions: { jobId: string; from: string; to: string }[];
  requeued: string[];
  /** Held jobs (dependencies, per-user limits) sent to dispatch again to re-check. */
  rechecked: string[];
  batchListCalls: number;
  /** Batch jobs of past months terminated this tick (frees the account's active-job quota). */
  retiredBatchJobs: string[];
  pools: { pool: string; action: string; targetDedicatedNodes?: number; reason: string }[];
  errors: { scope: string; code: string; message: string }[];
}

const DANGLING_INDEX_MS = 10 * 60_000;

export async function syncJobs(deps: SyncDeps, now: Date): Promise<SyncReport> {
  const report: SyncReport = { activeJobs: 0, transitions: [], requeued: [], rechecked: [], batchListCalls: 0, retiredBatchJobs: [], pools: [], errors: [] };
  const fail = (scope: string, error: unknown) => report.errors.push({ scope, ...describeError(error) });
  const records = await loadActive(deps.store, now, fail);
  // Retiring Batch jobs needs every non-final record: with one unread, a job it would still need might be missed.
  const sawAllActive = report.errors.length === 0;

  const setRecord = (before: JobRecord, after: StoredJob) => {
    if (before.state !== after.record.state) report.transitions.push({ jobId: before.id, from: before.state, to: after.record.state });
    records.set(before.id, after);
  };

  for (const stored of [...records.values()]) {
    const r = stored.record;
    try {
      if (r.state === 'cancelling') {
        const done = await finishCancel(deps, r.id, now);
        if (done && done.state !== r.state) setRecord(r, { record: done, etag: '' });
      } else if ((r.state === 'queued' || r.state === 'dispatching') && !r.waitingFor && now.getTime() - Date.parse(r.updatedAt) >= deps.requeueAfterMinutes * 60_000) {
        const touched = await updateJob(deps.store, stored, (cur) => (cur.state === r.state ? { ...cur, updatedAt: now.toISOString() } : undefined));
        if (touched?.changed) {
          await deps.queue.enqueue(r.id);
          report.requeued.push(r.id);
        }
      }
    } catch (error) {
      fail(`job ${r.id}`, error);
    }
  }

  // Reconcile, one or two list calls per long-lived Batch job (not per task).
  const byBatchJob = new Map<string, StoredJob[]>();
  for (const s of records.values()) {
    const st = s.record.state;
    if (s.record.batch && (st === 'dispatching' || st === 'dispatched' || st === 'running')) {
      byBatchJob.set(s.record.batch.jobId, [...(byBatchJob.get(s.record.batch.jobId) ?? []), s]);
    }
  }
  for (const [batchJobId, group] of byBatchJob) {
    try {
      const done = await reconcileBatchJob(deps, batchJobId, group, now);
      report.batchListCalls += done.listCalls;
      for (const c of done.changed) setRecord(c.before, c.after);
      if (done.capped) {
        report.errors.push({ scope: `batch job ${batchJobId}`, code: 'BATCH_LIST_CAPPED', message: `more than ${MAX_UNFINISHED_TASKS} unfinished tasks; vanished tasks are not looked for this tick` });
      }
    } catch (error) {
      report.batchListCalls++;
      fail(`batch job ${batchJobId}`, error);
    }
  }

  if (sawAllActive) {
    const retired = await retireBatchJobs(deps.batch, [...records.values()].map((s) => s.record), now);
    report.retiredBatchJobs = retired.terminated;
    for (const e of retired.errors) fail(e.scope, e.error);
  }

  // Held jobs go to dispatch again once per tick, after this tick's transitions: a dependency that just succeeded or a
  // user's job that just finished lets them go now.
  for (const s of records.values()) {
    if (s.record.state !== 'queued' || !s.record.waitingFor) continue;
    try {
      await deps.queue.enqueue(s.record.id);
      report.rechecked.push(s.record.id);
    } catch (error) {
      fail(`job ${s.record.id}`, error);
    }
  }

  await sizePools(deps, [...records.values()].map((s) => s.record), now, report, fail);
  report.activeJobs = [...records.values()].filter((s) => !isFinal(s.record.state)).length;
  return report;
}

async function loadActive(store: JobStore, now: Date, fail: (scope: string, e: unknown) => void): Promise<Map<string, StoredJob>> {
  const entries = await store.listActive();
  const records = new Map<string, StoredJob>();
  const CONCURRENCY = 16;
  for (let i = 0; i < entries.length; i += CONCURRENCY) {
    await Promise.all(
      entries.slice(i, i + CONCURRENCY).map(async (e) => {
        try {
          const s = await store.get(e.jobId);
          if (!s) {
            // An index row written before a record that never came (a crashed or lost submit).
            if (now.getTime() - Date.parse(e.createdAt) > DANGLING_INDEX_MS) await store.removeIndexes(e.jobId, 'active');
          } else if (isFinal(s.record.state)) {
            await store.removeIndexes(e.jobId, 'active');
          } else {
            records.set(e.jobId, s);
          }
        } catch (error) {
          fail(`job ${e.jobId}`, error);
        }
      }),
    );
  }
  return records;
}
