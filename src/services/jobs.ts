// Composition root of the job service: wires the Table, queue and Batch adapters into the use cases, once per
// process. Trigger files call these functions and never build adapters themselves.
import { createBatchClient } from '../azure/batch/batch-client.js';
import { createBatchPools } from '../azure/batch-pools.js';
import { createBatchPolicySource } from '../azure/batch-pools-policies.js';
import { credentialFor, tlsOptionsFor } from '../azure/credentials.js';
import { createJobQueue } from '../azure/job-queue.js';
import { createJobStore } from '../azure/job-store.js';
import { queueClient, tableClient } from '../azure/storage.js';
import { clock } from '../clock.js';
import { config, type Config } from '../config.js';
import type { BatchPort } from '../jobs/batch.port.js';
import type { BatchPolicySource } from '../jobs/batch-policy-source.port.js';
import { cancelJob } from '../jobs/cancel-job.js';
import { dispatchJob, type DispatchOutcome } from '../jobs/dispatch-job.js';
import { JobsError } from '../jobs/errors.js';
import type { JobQueue } from '../jobs/job-queue.port.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { JobSpec } from '../jobs/job-spec.js';
import type { JobStore } from '../jobs/job-store.port.js';
import { handlePoisonedJob, type PoisonOutcome } from '../jobs/poison-job.js';
import { describeJobs } from '../jobs/describe-jobs.js';
import type { JobView } from '../jobs/job-view.js';
import { getJob, listJobs, type ListJobsInput } from '../jobs/query-jobs.js';
import { submitJob, type SubmitResult } from '../jobs/submit-job.js';
import { syncJobs, type SyncReport } from '../jobs/sync-jobs.js';
import { TaskBatcher } from '../jobs/task-batcher.js';
import { readJobLogs, type LogsPage, type LogsQuery } from '../jobs/job-logs.js';
import type { poolUsageSchema } from '../jobs/job-logs-view.js';
import type { z } from 'zod';

export type PoolUsage = z.infer<typeof poolUsageSchema>;
import { describePool, PoolCatalog, type Described } from '../jobs/pool-catalog.js';
import type { NamedBatchPolicy } from '../jobs/batch-policy.js';
import type { Viewer } from '../jobs/view-job.js';

export interface JobService {
  submit(user: string, spec: JobSpec, idempotencyKey?: string): Promise<SubmitResult>;
  /** The job as the API shows it, with `waitingFor` when its pool cannot grow. */
  get(id: string, viewer: Viewer): Promise<JobView>;
  list(input: ListJobsInput, viewer: Viewer): Promise<{ items: JobView[]; continuationToken?: string }>;
  cancel(id: string, viewer: Viewer): Promise<JobRecord>;
  dispatch(jobId: string): Promise<DispatchOutcome>;
  poison(jobId: string): Promise<PoisonOutcome>;
  sync(): Promise<SyncReport>;
  /** A page of a job's stdout/stderr (owner or admin). */
  logs(id: string, viewer: Viewer, query: LogsQuery): Promise<LogsPage>;
  /** Each user's use of a pool as of the last sync tick (admins). */
  usage(pool: string): Promise<PoolUsage>;
  /** A batch policy joined with its Batch pool, read fresh: why it cannot take jobs, or the node it describes. */
  describePolicy(policy: NamedBatchPolicy): Promise<Described>;
}

export interface JobServiceParts {
  store: JobStore;
  queue: JobQueue;
  /** Built on first use: HTTP submit and list work without a Batch endpoint. */
  batch: () => BatchPort;
  policies: BatchPolicySource;
  requeueAfterMinutes: number;
  /** Cap of the wait between dispatch attempts while Batch is unavailable, in seconds. */
  dispatchRetryMaxSeconds: number;
  /** How long Batch pool facts (exists, VM size, slots) are trusted between sync ticks; default 10 minutes. */
  poolFactsTtlMs?: number;
  now?: () => Date;
}

export function createJobService(parts: JobServiceParts): JobService {
  const now = parts.now ?? (() => clock().now());
  const { store, queue, policies } = parts;
  let batcher: TaskBatcher | undefined;
  const catalog = new PoolCatalog(policies, { getPool: (id) => parts.batch().getPool(id) }, { ttlMs: parts.poolFactsTtlMs });
  const addTask = (batchJobId: string, task: Parameters<TaskBatcher['add']>[1]) => {
    batcher ??= new TaskBatcher(parts.batch());
    return batcher.add(batchJobId, task);
  };
  return {
    submit: (user, spec, idempotencyKey) => submitJob({ store, queue, policies, pools: catalog }, { user, spec, idempotencyKey, now: now() }),
    get: async (id, viewer) => (await describeJobs(store, [await getJob(store, id, viewer)]))[0]!,
    list: async (input, viewer) => {
      const page = await listJobs(store, input, viewer);
      return { items: await describeJobs(store, page.items), continuationToken: page.continuationToken };
    },
    cancel: (id, viewer) => cancelJob({ store, batch: lazyTerminate(parts) }, id, viewer, now()),
    dispatch: (jobId) => dispatchJob({ store, batch: parts.batch(), pools: catalog, addTask, queue, retryMaxSeconds: parts.dispatchRetryMaxSeconds }, jobId, now()),
    poison: (jobId) => handlePoisonedJob({ store, queue, retryMaxSeconds: parts.dispatchRetryMaxSeconds }, jobId, now()),
    logs: (id, viewer, query) => readJobLogs({ store, batch: parts.batch }, id, viewer, query),
    usage: async (pool) => {
      const state = await store.getPoolState(pool);
      // Nothing recorded for it and no batch policy by that name (valid or not): a misspelt pool or a VM pool.
      if (state.usageAt === undefined) {
        const set = await policies.list();
        if (![...set.policies.map((p) => p.name), ...set.invalid.map((p) => p.name)].includes(pool)) {
          throw new JobsError('POOL_NOT_FOUND', `There is no Batch pool "${pool}": usage is kept per Batch pool (policies of kind batch; GET /api/jobs?pool=… lists the jobs on one). A VM scale set pool's sessions are in GET /api/pools.`);
        }
      }
      return { pool, at: state.usageAt, users: Object.entries(state.usage ?? {}).map(([user, u]) => ({ user, ...u })).sort((a, b) => b.gpus - a.gpus || b.tasks - a.tasks || a.user.localeCompare(b.user)) };
    },
    describePolicy: async (policy) => describePool(policy, await catalog.snapshotOf(policy.poolId, true)),
    sync: () => syncJobs({ store, queue, batch: parts.batch(), policies, remember: (id, snap) => catalog.remember(id, snap), requeueAfterMinutes: parts.requeueAfterMinutes }, now()),
  };
}

function lazyTerminate(parts: JobServiceParts): Pick<BatchPort, 'terminateTask'> {
  return { terminateTask: (job, task) => parts.batch().terminateTask(job, task) };
}

export function jobServiceFromConfig(cfg: Config): JobService {
  let batch: BatchPort | undefined;
  return createJobService({
    store: createJobStore(tableClient(cfg, 'jobs')),
    queue: createJobQueue(queueClient(cfg, 'jobs'), { timeoutMs: cfg.storage.tryTimeoutMs }),
    // App time, like the sync ticks and dispatch the cache serves (the emulator's clock locally; in Azure the same).
    policies: createBatchPolicySource(tableClient(cfg, 'policies'), { cacheMs: 15_000, now: () => clock().now().getTime() }),
    requeueAfterMinutes: cfg.jobsRequeueMinutes,
    dispatchRetryMaxSeconds: cfg.dispatchRetryMaxSeconds,
    batch: () => {
      if (!cfg.batchEndpoint) throw new JobsError('BATCH_UNAVAILABLE', 'DSVMPOOL_BATCH_ENDPOINT is not set; the job service cannot reach Batch');
      batch ??= createBatchPools(createBatchClient(cfg.batchEndpoint, credentialFor(cfg), { tlsOptions: tlsOptionsFor(cfg) }));
      return batch;
    },
  });
}

let service: JobService | undefined;
/** The process's job service, built on first use from app settings. */
export function jobService(): JobService {
  service ??= jobServiceFromConfig(config());
  return service;
}
