// What the job service needs from Azure Batch, shaped by our needs rather than by the REST API. The adapter
// (src/azure/batch-pools.ts) classifies every Azure error into a JobsError code once.
export interface TaskSpec {
  id: string;
  displayName: string;
  commandLine: string;
  containerImage?: string;
  containerRunOptions?: string;
  env: { name: string; value: string }[];
  maxWallClockMinutes: number;
  maxTaskRetryCount: number;
  requiredSlots: number;
  resourceFiles: { httpUrl?: string; storageContainerUrl?: string; blobPrefix?: string; filePath?: string }[];
  outputFiles: { filePattern: string; containerUrl: string; path: string }[];
}

/** Per-task outcome of an add; values, not exceptions, so one bad task never fails its batch. */
export type AddTaskOutcome =
  | { taskId: string; status: 'added' | 'exists' }
  | { taskId: string; status: 'failed'; code: string; message: string; transient: boolean };

export interface TaskSnapshot {
  id: string;
  state: 'active' | 'preparing' | 'running' | 'completed';
  stateTransitionTime?: string;
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  result?: 'success' | 'failure';
  failureCategory?: string;
  failureCode?: string;
  failureMessage?: string;
  retryCount?: number;
  nodeId?: string;
}

export interface PoolSnapshot {
  id: string;
  allocationState: string;
  currentDedicatedNodes: number;
  targetDedicatedNodes: number;
  /** The pool's VM size as Batch reports it (lower case, e.g. "standard_nc4as_t4_v3"). */
  vmSize?: string;
  /** Tasks one node runs at once (the pool's taskSlotsPerNode; Batch's default is 1). */
  taskSlotsPerNode?: number;
  /** Errors of the last resize (e.g. AccountCoreQuotaReached); empty when it went well. */
  resizeErrors: { code: string; message?: string }[];
}

export interface BatchJobSummary {
  id: string;
  poolId?: string;
}

export interface BatchPort {
  /** Creates the long-lived Batch job if missing (JobExists is success). */
  ensureJob(batchJobId: string, poolId: string): Promise<void>;
  /** Up to 100 tasks per call (addtaskcollection); callers split larger sets. */
  addTasks(batchJobId: string, tasks: TaskSpec[]): Promise<AddTaskOutcome[]>;
  /** Tasks of a Batch job whose state changed at or after `since`. Throws BATCH_JOB_MISSING when the Batch job is gone. */
  listTasksChangedSince(batchJobId: string, since: Date): Promise<TaskSnapshot[]>;
  /**
   * Ids of the Batch job's tasks that have not completed, reading at most `maxTasks` (paged, ids only); `truncated`
   * when there were more. Throws BATCH_JOB_MISSING when the Batch job is gone.
   */
  listUnfinishedTaskIds(batchJobId: string, maxTasks: number): Promise<{ ids: Set<string>; truncated: boolean }>;
  /** Terminates a task; a task that is missing or already completed counts as done. */
  terminateTask(batchJobId: string, taskId: string): Promise<void>;
  /** Active Batch jobs (the ones counting against the account's active-job quota) whose id starts with `prefix`. */
  listActiveJobs(prefix: string): Promise<BatchJobSummary[]>;
  /** True when the Batch job has a task that has not completed; a missing job has none. */
  hasUnfinishedTasks(batchJobId: string): Promise<boolean>;
  /** Terminates a Batch job so it stops counting against the quota; a completed or missing job counts as done. */
  terminateJob(batchJobId: string, reason: string): Promise<void>;
  /** Throws JobsError BATCH_NOT_FOUND when the account has no such pool. */
  getPool(poolId: string): Promise<PoolSnapshot>;
  /**
   * Up to `maxBytes` of a task's stdout.txt/stderr.txt from `offset`, and the file's size; undefined when the file
   * does not exist (yet): the task has not started on a node, or the node is gone.
   */
  readTaskFile(batchJobId: string, taskId: string, file: 'stdout.txt' | 'stderr.txt', offset: number, maxBytes: number): Promise<{ size: number; data: Uint8Array } | undefined>;
  /** Resizes dedicated nodes; shrinking lets running tasks finish (nodeDeallocationOption taskcompletion). */
  resizePool(poolId: string, targetDedicatedNodes: number): Promise<void>;
}
