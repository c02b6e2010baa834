// The logs and usage routes' query and answer shapes, as schemas: validation, types and OpenAPI from one place.
import { z } from 'zod';
import { MAX_ARRAY_SIZE } from './job-spec.js';
import { jobStates } from './job-state.js';

/** Largest log page: 1 MiB; the default page is 64 KiB. */
export const MAX_LOG_PAGE_BYTES = 1024 * 1024;

const whole = (what: string, min: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number (${what})` })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

export const jobLogsQuerySchema = z.strictObject({
  stream: z.enum(['stdout', 'stderr'], { message: 'must be stdout or stderr' }).default('stdout').describe('Which file: stdout.txt or stderr.txt of the task.'),
  offset: whole('bytes', 0, Number.MAX_SAFE_INTEGER).default(0).describe('Byte offset to read from; pass the previous page\'s nextOffset.'),
  length: whole('bytes', 1, MAX_LOG_PAGE_BYTES).default(64 * 1024).describe(`Bytes at most in this page (1-${MAX_LOG_PAGE_BYTES}, default 65536).`),
  index: whole('a task index', 0, MAX_ARRAY_SIZE - 1).optional().describe('Array jobs: which task (default 0).'),
});

export const jobLogsSchema = z.object({
  jobId: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  index: z.number().optional(),
  offset: z.number(),
  nextOffset: z.number().describe('Pass as offset for the next page.'),
  size: z.number().describe('Size of the file in bytes as of this read; it grows while the task runs. 0 before the task starts.'),
  complete: z.boolean().describe('The job is final and this page reaches the end: nothing more will come.'),
  state: z.enum(jobStates),
  text: z.string().describe('The bytes [offset, nextOffset) as UTF-8.'),
});

export const poolUsageSchema = z.object({
  pool: z.string(),
  at: z.string().optional().describe('When sync computed it (its last tick).'),
  users: z.array(
    z.object({
      user: z.string(),
      gpus: z.number().describe("GPUs of the user's dispatched and running tasks on the pool."),
      tasks: z.number().describe('Dispatched and running tasks (an array counts each).'),
      queued: z.number().describe('Jobs in Batch waiting for a node.'),
      held: z.number().describe('Jobs held by dsvm-pool (dependencies, per-user limits).'),
    }),
  ),
});
