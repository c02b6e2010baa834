// What the API shows of a job (the record minus internals), and the list query, as schemas: the OpenAPI document
// is generated from them.
import { z } from 'zod';
import { countTasks } from './array-tasks.js';
import type { JobRecord } from './job-record.js';
import { jobSpecSchema } from './job-spec.js';
import { jobStates } from './job-state.js';

export const jobViewSchema = z.object({
  id: z.string().describe('Job id; also the last segment of the Location URL.'),
  name: z.string(),
  user: z.string().describe('Owner (the caller who submitted it).'),
  state: z.enum(jobStates).describe('queued → dispatching → dispatched → running → succeeded | failed; cancelling → cancelled.'),
  pool: z.string().optional().describe('Pool the job was routed to.'),
  submittedAt: z.string(),
  updatedAt: z.string(),
  dispatchedAt: z.string().optional(),
  startTime: z.string().optional().describe('When the (last) attempt started on a node.'),
  endTime: z.string().optional(),
  exitCode: z.number().optional(),
  retryCount: z.number().optional(),
  failureCategory: z.string().optional().describe('usererror or servererror, from Batch.'),
  reason: z.string().optional().describe('Why the job failed or was cancelled, and what to do.'),
  lastError: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .describe('The last error dispatch or sync met: a code from README "Errors" (e.g. ROUTE_UNKNOWN_POOL, BATCH_THROTTLED while Batch is busy) and its message.'),
  waitingFor: z
    .string()
    .optional()
    .describe(
      "Why the job has not started: held by dsvm-pool (\"waiting for your job prep (…) to succeed\", \"your GPU limit on pool 'gpu': 2 of 2 in use…\"), Azure Batch is busy or unreachable and dispatch tries again, or its pool cannot grow (\"GPU pool 'gpu' cannot grow (0 node(s) running): AccountCoreQuotaReached — …\"). Absent otherwise.",
    ),
  tasks: z
    .object({ total: z.number(), waiting: z.number(), running: z.number(), succeeded: z.number(), failed: z.number(), cancelled: z.number() })
    .optional()
    .describe('Array jobs: how many tasks are in each state (as of the last sync tick).'),
  batch: z.object({ poolId: z.string(), jobId: z.string(), taskId: z.string() }).optional().describe('Where the task lives in Batch.'),
  spec: jobSpecSchema,
});

export type JobView = z.infer<typeof jobViewSchema>;

export function toJobView(r: JobRecord, poolProblem?: string): JobView {
  const waitingFor = r.waitingFor ?? poolProblem;
  const tasks = r.spec.array ? countTasks(r.taskStates ?? 'w'.repeat(r.spec.array.size)) : undefined;
  return {
    id: r.id,
    name: r.name,
    user: r.user,
    state: r.state,
    pool: r.pool,
    submittedAt: r.submittedAt,
    updatedAt: r.updatedAt,
    dispatchedAt: r.dispatchedAt,
    startTime: r.startTime,
    endTime: r.endTime,
    exitCode: r.exitCode,
    retryCount: r.retryCount,
    failureCategory: r.failureCategory,
    reason: r.reason,
    ...(r.lastError ? { lastError: { code: r.lastError.code, message: r.lastError.message } } : {}),
    ...(waitingFor ? { waitingFor } : {}),
    ...(tasks ? { tasks } : {}),
    batch: r.batch,
    spec: r.spec,
  };
}

export const jobListQuerySchema = z.strictObject({
  state: z.enum(jobStates, { message: `must be one of ${jobStates.join(', ')}` }).optional(),
  pool: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a pool name' }).optional(),
  user: z.string().min(1).max(256).refine((u) => !/[\p{Cc},]/u.test(u), { message: 'must be one user name, without commas or control characters' }).optional().describe('Whose jobs: "me" for your own; "*" for everyone\'s and another user\'s name for admins only (403 LIST_FORBIDDEN for others). Default your own (admins: everyone).'),
  top: z.coerce.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).max(100, { message: 'must be at most 100' }).default(20),
  continuationToken: z.string().max(1024).optional().describe('From the previous page.'),
});

export const jobListSchema = z.object({
  items: z.array(jobViewSchema),
  continuationToken: z.string().optional().describe('Pass as continuationToken for the next page; absent on the last page.'),
});
