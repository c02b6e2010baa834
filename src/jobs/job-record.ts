// The job record and how it is keyed in table `jobs`.
//
// Key design (table `jobs`):
// - Record row: PartitionKey `u-{userKey}`, RowKey `j-{invertedMs}-{rand}`. userKey is 12 hex chars of
//   sha256(user), so a user's jobs share one partition and "my jobs, newest first" is one partition range query
//   (RowKey ascending = newest first). The job id is `{userKey}-{invertedMs}-{rand}`: it carries both keys, so get
//   by id is a point read without an index.
// - Idempotency row: same partition, RowKey `k-{sha256(Idempotency-Key)}` → { jobId, payloadHash, createdAt }.
//   Being in the record's partition, record + idempotency row are inserted in ONE batch transaction: a reused key
//   can never leave a job without its key row or a key row without its job.
// - Index rows in other partitions (cannot share a transaction, so written BEFORE the record and tolerated when
//   dangling; readers skip index rows whose record is missing, sync removes them after a grace period):
//   * `active` / {jobId}: every non-final job; sync, the re-enqueue sweeper and pool sizing read this small
//     partition instead of scanning the table. Removed when the job becomes final.
//   * `all` / `{invertedMs}-{rand}-{userKey}`: every job, newest first, for an admin listing all users.
// - Pool sizing state: `poolstate` / {pool} → { idleSince }.
import type { JobSpec } from './job-spec.js';
import type { JobState } from './job-state.js';

export interface BatchLocation {
  poolId: string;
  jobId: string;
  taskId: string;
}

export interface JobRecord {
  id: string;
  user: string;
  name: string;
  spec: JobSpec;
  /** sha256 of the canonical spec; an Idempotency-Key reused with another body is caught by it. */
  specHash: string;
  state: JobState;
  /** Pool name the job was routed to (policy row key), once routed. */
  pool?: string;
  batch?: BatchLocation;
  submittedAt: string;
  updatedAt: string;
  idempotencyKey?: string;
  dispatchAttempts: number;
  dispatchedAt?: string;
  /** Last Batch task state change seen by sync; sync lists tasks changed since the oldest of these. */
  taskTransitionTime?: string;
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  retryCount?: number;
  failureCategory?: string;
  /** Why the job failed or was cancelled, in words a user can act on. */
  reason?: string;
  lastError?: { code: string; message: string };
  cancelRequestedAt?: string;
  /**
   * Array jobs: one character per task index, its state as sync last saw it (see array-tasks.ts). 10,000 tasks are
   * 10,000 characters, well inside the record's JSON column (a Table string holds 32K characters).
   */
  taskStates?: string;
  /** Why a queued job is held back by dsvm-pool (a dependency, a per-user limit); absent when it is not. */
  waitingFor?: string;
}

/** A record as read, with the ETag every write is conditional on. */
export interface StoredJob {
  record: JobRecord;
  etag: string;
}

const MAX_MS = 9_999_999_999_999;
const ID_PATTERN = /^([0-9a-f]{12})-(\d{13})-([0-9a-z]{6})$/;

export interface JobKeys {
  partitionKey: string;
  rowKey: string;
  userKey: string;
  invertedMs: string;
  rand: string;
}

/** Builds a job id for a user at a time; `rand` is 6 chars of [0-9a-z]. */
export function newJobId(userKey: string, now: Date, rand: string): string {
  const inverted = String(MAX_MS - now.getTime()).padStart(13, '0');
  return `${userKey}-${inverted}-${rand}`;
}

export function isJobId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Table keys of a job id, or undefined when the string is not a job id (→ 404, never a scan). */
export function keysOf(id: string): JobKeys | undefined {
  const m = ID_PATTERN.exec(id);
  if (!m) return undefined;
  const [, userKey, invertedMs, rand] = m as unknown as [string, string, string, string];
  return { partitionKey: userPartition(userKey), rowKey: `j-${invertedMs}-${rand}`, userKey, invertedMs, rand };
}

export function userPartition(userKey: string): string {
  return `u-${userKey}`;
}

export const ACTIVE_PARTITION = 'active';
export const ALL_PARTITION = 'all';
export const POOL_STATE_PARTITION = 'poolstate';

export function allIndexRowKey(id: string): string {
  const k = keysOf(id);
  if (!k) throw new Error(`not a job id: ${id}`);
  return `${k.invertedMs}-${k.rand}-${k.userKey}`;
}

export function jobIdFromAllIndexRowKey(rowKey: string): string | undefined {
  const m = /^(\d{13})-([0-9a-z]{6})-([0-9a-f]{12})$/.exec(rowKey);
  return m ? `${m[3]}-${m[1]}-${m[2]}` : undefined;
}

/**
 * Batch task id derived from the job id (and, for an array job, the task index): a redelivered message can never
 * make a second task. At most 4 + 33 + 1 + 4 = 42 characters (Batch allows 64).
 */
export function taskIdOf(jobId: string, index?: number): string {
  return index === undefined ? `job-${jobId}` : `job-${jobId}-${index}`;
}

/** The job (and array index) of one of our task ids, or undefined for any other task. */
export function jobOfTask(taskId: string): { jobId: string; index?: number } | undefined {
  const m = /^job-([0-9a-f]{12}-\d{13}-[0-9a-z]{6})(?:-(\d{1,5}))?$/.exec(taskId);
  if (!m) return undefined;
  return m[2] === undefined ? { jobId: m[1]! } : { jobId: m[1]!, index: Number(m[2]) };
}

export function jobIdOfTask(taskId: string): string | undefined {
  return jobOfTask(taskId)?.jobId;
}

export const BATCH_JOB_PREFIX = 'dsvmpool-';

/** Long-lived Batch job a task goes under: one per pool and month of submission (Batch caps active jobs). */
export function batchJobIdOf(poolId: string, submittedAt: string): string {
  return `${BATCH_JOB_PREFIX}${poolId}-${monthOf(submittedAt)}`;
}

/** `yyyymm` of an ISO time: the month part of a Batch job id. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7).replace('-', '');
}

/** The `yyyymm` a Batch job id of ours belongs to, or undefined for any other id. */
export function monthOfBatchJob(batchJobId: string): string | undefined {
  const m = /^dsvmpool-.+-(\d{6})$/.exec(batchJobId);
  return m ? m[1] : undefined;
}
