// Where job records live (table `jobs`). Every write is conditional: create fails if the row exists, replace
// fails with CONCURRENT_UPDATE when the ETag no longer matches.
import type { JobRecord, StoredJob } from './job-record.js';
import type { JobState } from './job-state.js';

export interface IdempotencyRow {
  jobId: string;
  payloadHash: string;
  createdAt: string;
  etag: string;
}

export type CreateJobResult = { created: true; stored: StoredJob } | { created: false; existing: IdempotencyRow };

export interface JobListQuery {
  state?: JobState;
  pool?: string;
  top: number;
  /** Opaque position from the previous page (a RowKey). */
  after?: string;
}

export interface JobPage {
  items: JobRecord[];
  /** Position to continue from; absent on the last page. */
  after?: string;
}

export interface ActiveEntry {
  jobId: string;
  /** When the index row was written (the submit time). */
  createdAt: string;
}

/** Per-user use of one pool: what the user's jobs in Batch hold there (see admission.ts). */
export interface UserUsage {
  gpus: number;
  tasks: number;
  /** Jobs sent to Batch that have not started (waiting for a node). */
  queued: number;
  /** Jobs held by dsvm-pool (dependencies, limits). */
  held: number;
}

export interface PoolState {
  idleSince?: string;
  /** Why the pool cannot grow (see pool-problem.ts), shown to jobs waiting on it; absent when it can. */
  problem?: string;
  /** Each user's use of the pool at `usageAt` (the last sync tick), for admins. */
  usage?: Record<string, UserUsage>;
  usageAt?: string;
  etag?: string;
}

export interface JobStore {
  get(id: string): Promise<StoredJob | undefined>;
  /**
   * Inserts the record, together with its idempotency row in one transaction when a key is given. When the key's
   * row exists (and `replaceIdempotencyEtag` does not name it as expired), nothing is written and the existing
   * row is returned.
   */
  create(
    record: JobRecord,
    idempotency?: { keyHash: string; payloadHash: string; replaceIdempotencyEtag?: string },
  ): Promise<CreateJobResult>;
  getIdempotency(user: string, keyHash: string): Promise<IdempotencyRow | undefined>;
  /** Conditional replace; throws JobsError CONCURRENT_UPDATE when someone else wrote first. */
  replace(current: StoredJob, next: JobRecord): Promise<StoredJob>;
  /**
   * Upserts the job's index rows: `active` (what sync reads) and `all` (admins' listing); `which` 'active' or 'all'
   * writes only that one (see job-record.ts). Idempotent.
   */
  addIndexes(record: JobRecord, which?: 'active' | 'all' | 'both'): Promise<void>;
  removeIndexes(jobId: string, which: 'active' | 'all' | 'both'): Promise<void>;
  listActive(): Promise<ActiveEntry[]>;
  listByUser(user: string, query: JobListQuery): Promise<JobPage>;
  listAll(query: JobListQuery): Promise<JobPage>;
  /** The user's jobs that are not final (one partition query; per-user limits are checked against them). */
  listUserActive(user: string): Promise<JobRecord[]>;
  getPoolState(pool: string): Promise<PoolState>;
  /** Conditional on the ETag read (or create when none); a lost race is skipped until the next tick. */
  putPoolState(pool: string, state: PoolState): Promise<void>;
}
