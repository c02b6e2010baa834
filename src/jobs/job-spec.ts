// What a user submits: the one schema for a job, giving validation, the TypeScript type, defaults, the error
// messages and the OpenAPI document. Limits keep a record well inside Table (64 KiB string) and queue limits.
import { z } from 'zod';

/** Largest accepted request body, in bytes. */
export const MAX_JOB_SPEC_BYTES = 64 * 1024;

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// A relative path on the node: no leading slash, no "..", printable safe characters only.
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\-/]{1,256}$/;
// Docker image reference: registry/repo:tag or @digest; no spaces or shell characters.
const IMAGE_REF = /^[a-z0-9][a-z0-9._\-/:@]{0,254}$/i;

const wholeNumber = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

const httpsUrl = z
  .string({ message: 'must be an https URL' })
  .max(2048, { message: 'must be at most 2048 characters' })
  .refine((s) => URL.canParse(s) && new URL(s).protocol === 'https:', { message: 'must be an absolute https:// URL' });

const inputFileSchema = z.union(
  [
    z.strictObject({
      url: httpsUrl.describe('An https URL (e.g. a blob URL) of one file to download before the task starts.'),
      path: z.string().regex(RELATIVE_PATH, { message: 'must be a relative path without ".."' }).describe('Where the file lands, relative to the task directory.'),
    }),
    z.strictObject({
      containerUrl: httpsUrl.describe('A blob container URL; every blob (under blobPrefix) is downloaded.'),
      blobPrefix: z.string().max(1024).optional().describe('Only blobs whose names start with this.'),
      path: z.string().regex(RELATIVE_PATH, { message: 'must be a relative path without ".."' }).optional().describe('Folder the blobs land in, relative to the task directory.'),
    }),
  ],
  { message: 'must be { url, path } or { containerUrl, blobPrefix?, path? }' },
);

/** Largest array job: tasks are added 100 per Batch call, and per-task states fit the record (array-tasks.ts). */
export const MAX_ARRAY_SIZE = 10_000;
export const MAX_DEPENDENCIES = 20;
const JOB_ID = /^[0-9a-f]{12}-\d{13}-[0-9a-z]{6}$/;

export const jobSpecSchema = z.strictObject({
  name: z
    .string()
    .regex(SAFE_NAME, { message: 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit' })
    .describe('A name for people; need not be unique.'),
  commandLine: z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(8000, { message: 'must be at most 8000 characters' })
    .describe('The command the task runs (Batch does not run it in a shell; use /bin/bash -c "…" for shell syntax).'),
  containerImage: z
    .string()
    .regex(IMAGE_REF, { message: 'must be a container image reference, e.g. "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest"' })
    .optional()
    .describe('Run the command in this container image (the pool must allow containers).'),
  resources: z
    .strictObject({
      gpus: wholeNumber(0, 16).default(0).describe('GPUs the job needs on one node; more than 0 routes it to a GPU pool.'),
      cpus: wholeNumber(1, 512).default(1).describe('vCPUs the job needs on one node.'),
      memoryGiB: z
        .number({ message: 'must be a number' })
        .positive({ message: 'must be more than 0' })
        .max(12288, { message: 'must be at most 12288' })
        .default(1)
        .describe('Memory the job needs on one node, in GiB.'),
    })
    .default({ gpus: 0, cpus: 1, memoryGiB: 1 })
    .describe('What one node must offer to run the job.'),
  pool: z
    .string({ message: 'must be "auto" or a pool name' })
    .regex(SAFE_NAME, { message: 'must be "auto" or a pool name (letters, digits, ".", "_", "-")' })
    .default('auto')
    .describe('"auto" routes by resources (GPUs → a GPU pool, else a CPU pool); a pool name pins the job to that pool.'),
  env: z
    .record(
      z.string().regex(ENV_KEY, { message: 'must be a variable name: letters, digits and "_", not starting with a digit' }).refine((k) => !k.toUpperCase().startsWith('AZ_BATCH'), {
        message: 'must not start with AZ_BATCH (reserved by Batch)',
      }),
      z.string().max(4096, { message: 'must be at most 4096 characters' }),
    )
    .refine((e) => Object.keys(e).length <= 64, { message: 'must have at most 64 variables' })
    .default({})
    .describe('Environment variables of the task.'),
  timeoutMinutes: wholeNumber(1, 10080).optional().describe('Wall-clock limit per attempt; the pool policy default (60) when absent. At most 7 days.'),
  retries: wholeNumber(0, 10).optional().describe('How many times Batch retries a failed attempt; the pool policy default (0) when absent.'),
  inputs: z.array(inputFileSchema).max(100, { message: 'must have at most 100 entries' }).default([]).describe('Files downloaded before the task starts.'),
  output: z
    .strictObject({
      containerUrl: httpsUrl.describe('Blob container the outputs are uploaded to when the task ends.'),
      path: z.string().max(1024).optional().describe('Blob name prefix under the container; defaults to the job id.'),
      filePattern: z.string().min(1).max(256).default('outputs/**/*').describe('Files to upload, relative to the task directory.'),
    })
    .optional()
    .describe('Where outputs (and stdout/stderr) go.'),
  array: z
    .strictObject({
      size: wholeNumber(1, MAX_ARRAY_SIZE).describe(`How many tasks (1-${MAX_ARRAY_SIZE}); each gets DSVMPOOL_ARRAY_INDEX 0…size-1 in its environment.`),
    })
    .optional()
    .describe('Run the command as an array of indexed tasks (a parameter sweep in one submission).'),
  dependsOn: z
    .array(z.string({ message: 'must be a job id' }).regex(JOB_ID, { message: 'must be a job id (as returned by POST /api/jobs)' }))
    .max(MAX_DEPENDENCIES, { message: `must have at most ${MAX_DEPENDENCIES} entries` })
    .refine((ids) => new Set(ids).size === ids.length, { message: 'must not name a job twice' })
    .optional()
    .describe('Ids of your own earlier jobs that must succeed before this one starts; if one fails or is cancelled, this job fails.'),
});

export type JobSpec = z.output<typeof jobSpecSchema>;
export type JobSpecInput = z.input<typeof jobSpecSchema>;
