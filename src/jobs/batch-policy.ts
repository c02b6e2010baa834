// The policy row of a Batch pool (kind `batch` in the `policies` table). It keeps only what Batch cannot tell us:
// node bounds, idle time, defaults and per-user limits. What one node is (VM size, task slots) is read from the
// Batch pool itself (see pool-catalog.ts); vCPUs/GPUs/memory come from the VM size table (vm-sizes.ts), and the
// optional *PerNode fields here describe a size that table does not know. Autoscale imports this schema into the
// policies union; rows of kind `vmss` are not ours.
import { z } from 'zod';
import '../zod-messages.js'; // plain field messages for a policy row's problems
import { tableBoolean, tableNumber } from '../policies/table-cells.js';

// Hand-edited table cells may be text ("3", "true") or Int64 cells, as for vmss rows (README "Policies").
const wholeNumber = (min: number, max: number) =>
  tableNumber(
    z
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(min, { message: `must be at least ${min}` })
      .max(max, { message: `must be at most ${max}` }),
  );

/**
 * Longest pool id whose long-lived Batch job id `dsvmpool-{poolId}-{yyyymm}` still fits Batch's 64-character job id
 * limit (Batch REST "Add Job", BatchService.json in Azure/azure-rest-api-specs: the job id "cannot contain more than
 * 64 characters"): 64 - "dsvmpool-".length (9) - "-yyyymm".length (7) = 48.
 */
export const BATCH_JOB_ID_MAX = 64;
export const MAX_POOL_ID_LENGTH = BATCH_JOB_ID_MAX - 'dsvmpool-'.length - '-yyyymm'.length;

export const batchPolicySchema = z
  .object({
    kind: z.literal('batch', { message: 'must be "batch" for a Batch pool' }),
    poolId: z
      .string({ message: 'must be the Batch pool id, e.g. "gpu"' })
      .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a Batch pool id: letters, digits, "-" or "_"' })
      .max(MAX_POOL_ID_LENGTH, {
        message: `must be at most ${MAX_POOL_ID_LENGTH} characters: jobs go under the Batch job "dsvmpool-{poolId}-{yyyymm}", and Batch job ids are at most ${BATCH_JOB_ID_MAX} characters`,
      })
      .describe(`Id of the Batch pool in the account named by DSVMPOOL_BATCH_ENDPOINT (at most ${MAX_POOL_ID_LENGTH} characters). The pool must exist.`),
    enabled: tableBoolean(true).describe('Route jobs to this pool and size it.'),
    dryRun: tableBoolean(false).describe('Decide pool sizes but do not resize.'),
    minNodes: wholeNumber(0, 1000).default(0).describe('Nodes kept even when no job needs them.'),
    maxNodes: wholeNumber(0, 1000).default(4).describe('Upper bound on dedicated nodes.'),
    idleMinutesBeforeScaleDown: wholeNumber(0, 1440)
      .default(10)
      .describe('How long the pool must have had no job before it shrinks to minNodes.'),
    vmSize: z
      .string({ message: 'must be a VM size, e.g. "Standard_NC4as_T4_v3"' })
      .min(1)
      .max(64)
      .optional()
      .describe('Ignored: the VM size is read from the Batch pool. Accepted so older rows stay valid.'),
    taskSlotsPerNode: wholeNumber(1, 256).optional().describe('Ignored: task slots per node are read from the Batch pool. Accepted so older rows stay valid.'),
    gpusPerNode: wholeNumber(0, 16).optional().describe("GPUs on one node; only needed when the pool's VM size is not in dsvm-pool's VM size table."),
    cpusPerNode: wholeNumber(1, 512).optional().describe("vCPUs on one node; only needed when the pool's VM size is not in the VM size table."),
    memoryGiBPerNode: tableNumber(
      z.number({ message: 'must be a number' }).positive({ message: 'must be more than 0' }).max(12288, { message: 'must be at most 12288' }),
    )
      .optional()
      .describe("Memory of one node in GiB; only needed when the pool's VM size is not in the VM size table."),
    defaultTimeoutMinutes: wholeNumber(1, 10080).default(60).describe('Wall-clock limit of a job that sets no timeoutMinutes.'),
    defaultRetries: wholeNumber(0, 10).default(0).describe('Retries of a job that sets no retries.'),
    maxRunningGpusPerUser: wholeNumber(0, 10000)
      .optional()
      .describe("Fair share: GPUs one user's dispatched and running jobs may hold on this pool at once; more wait (waitingFor says so)."),
    maxRunningJobsPerUser: wholeNumber(0, 100000)
      .optional()
      .describe("Fair share: tasks one user may have dispatched or running on this pool at once (an array counts each task)."),
    maxQueuedJobsPerUser: wholeNumber(0, 100000)
      .optional()
      .describe('Fair share: jobs one user may have sent to Batch and waiting for a node on this pool; more wait in dsvm-pool.'),
  })
  // Unknown fields are refused (a typo such as "maxNode" must not silently fall back to a default).
  .strict()
  .superRefine((p, ctx) => {
    if (p.minNodes > p.maxNodes) {
      ctx.addIssue({ code: 'custom', path: ['minNodes'], message: `must not exceed maxNodes (${p.maxNodes})` });
    }
  });

export type BatchPolicy = z.output<typeof batchPolicySchema>;
/** A batch policy together with the pool name (the row key). */
export type NamedBatchPolicy = BatchPolicy & { name: string };

/** What one node of the pool offers: VM size and slots from Batch, vCPUs/GPUs/memory from the size table or policy. */
export interface NodeShape {
  vmSize: string;
  gpusPerNode: number;
  cpusPerNode: number;
  memoryGiBPerNode: number;
  taskSlotsPerNode: number;
}

/** A policy whose Batch pool exists and whose node is known: the only kind routing and sizing use. */
export type DescribedPool = Omit<NamedBatchPolicy, keyof NodeShape> & NodeShape;
