// The policy row of a Batch pool (kind `batch` in the `policies` table). The job service reads it to route jobs
// (what one node offers) and to size the pool (min/max nodes, idle minutes). Autoscale imports this schema into
// the policies union; rows of kind `vmss` are not ours.
import { z } from 'zod';
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

export const batchPolicySchema = z
  .object({
    kind: z.literal('batch', { message: 'must be "batch" for a Batch pool' }),
    poolId: z
      .string({ message: 'must be the Batch pool id, e.g. "gpu"' })
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a Batch pool id: 1-64 letters, digits, "-" or "_"' })
      .describe('Id of the Batch pool in the account named by DSVMPOOL_BATCH_ENDPOINT.'),
    enabled: tableBoolean(true).describe('Route jobs to this pool and size it.'),
    dryRun: tableBoolean(false).describe('Decide pool sizes but do not resize.'),
    minNodes: wholeNumber(0, 1000).default(0).describe('Nodes kept even when no job needs them.'),
    maxNodes: wholeNumber(0, 1000).default(4).describe('Upper bound on dedicated nodes.'),
    idleMinutesBeforeScaleDown: wholeNumber(0, 1440)
      .default(10)
      .describe('How long the pool must have had no job before it shrinks to minNodes.'),
    vmSize: z.string({ message: 'must be a VM size, e.g. "Standard_NC4as_T4_v3"' }).min(1).max(64).describe('VM size of the nodes.'),
    gpusPerNode: wholeNumber(0, 16).describe('GPUs on one node; 0 makes this a CPU pool.'),
    cpusPerNode: wholeNumber(1, 512).describe('vCPUs on one node.'),
    memoryGiBPerNode: tableNumber(
      z.number({ message: 'must be a number' }).positive({ message: 'must be more than 0' }).max(12288, { message: 'must be at most 12288' }),
    ).describe('Memory of one node in GiB.'),
    taskSlotsPerNode: wholeNumber(1, 256).default(1).describe('Tasks one node runs at once (the pool\'s taskSlotsPerNode).'),
    defaultTimeoutMinutes: wholeNumber(1, 10080).default(60).describe('Wall-clock limit of a job that sets no timeoutMinutes.'),
    defaultRetries: wholeNumber(0, 10).default(0).describe('Retries of a job that sets no retries.'),
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
