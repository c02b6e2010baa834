// The job spec's limits at their edges (the last value accepted, the first refused) and the exact message a person
// reads for each refusal, as the HTTP API reports it (fieldErrors: dotted field + message).
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../src/http/request.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';

const ok = { name: 'train-1', commandLine: 'python train.py' };
const JOB = '0123456789ab-1234567890123-abc123';
const jobIds = (n: number) => Array.from({ length: n }, (_, i) => `0123456789ab-1234567890123-abc${String(i).padStart(3, '0')}`);
const vars = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`V${i}`, 'x']));
const fileIn = { url: 'https://a.blob.core.windows.net/c/x', path: 'x' };

function errorsOf(patch: Record<string, unknown>): { field: string; message: string }[] {
  const r = jobSpecSchema.safeParse({ ...ok, ...patch });
  return r.success ? [] : fieldErrors(r.error);
}

describe('job spec limits: the last accepted value', () => {
  it.each([
    ['a 64-character name', { name: 'a'.repeat(64) }],
    ['a name with ".", "_" and "-"', { name: 'A.b_c-9' }],
    ['an 8000-character command line', { commandLine: 'x'.repeat(8000) }],
    ['a registry image reference with tag and digest characters', { containerImage: 'mcr.microsoft.com/azureml/openmpi4.1.0:latest@sha256' }],
    ['16 GPUs, 512 vCPUs and 12288 GiB', { resources: { gpus: 16, cpus: 512, memoryGiB: 12288 } }],
    ['a fraction of a GiB', { resources: { memoryGiB: 0.5 } }],
    ['a 128-character variable name of letters, digits and "_"', { env: { [`_${'A1'.repeat(63)}b`]: 'x' } }],
    ['64 variables', { env: vars(64) }],
    ['a 4096-character variable value', { env: { A: 'x'.repeat(4096) } }],
    ['a timeout of 10080 minutes and 10 retries', { timeoutMinutes: 10080, retries: 10 }],
    ['100 input files', { inputs: Array.from({ length: 100 }, () => fileIn) }],
    ['a nested input path with dots in names', { inputs: [{ url: 'https://a.blob.core.windows.net/c/x', path: 'data/..x/a..b/v1.2' }] }],
    ['a 2048-character https URL', { inputs: [{ url: `https://a.example/${'x'.repeat(2048 - 18)}`, path: 'x' }] }],
    ['an output path and file pattern', { output: { containerUrl: 'https://a.blob.core.windows.net/out', path: 'results/run1', filePattern: '*.csv' } }],
    ['a 256-character file pattern', { output: { containerUrl: 'https://a.blob.core.windows.net/out', filePattern: 'p'.repeat(256) } }],
    ['an array of 10000 tasks', { array: { size: 10000 } }],
    ['20 distinct job ids', { dependsOn: jobIds(20) }],
  ])('accepts %s', (_what, patch) => {
    expect(errorsOf(patch)).toEqual([]);
  });
});

describe('job spec limits: the first refused value and what the person reads', () => {
  it.each([
    ['a 65-character name', { name: 'a'.repeat(65) }, 'name', 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
    ['a name that is not a string', { name: 1 }, 'name', 'must be a string, not number 1'],
    ['no name', { name: undefined }, 'name', 'is required'],
    ['an empty command line', { commandLine: '' }, 'commandLine', 'must not be empty'],
    ['an 8001-character command line', { commandLine: 'x'.repeat(8001) }, 'commandLine', 'must be at most 8000 characters'],
    ['a command line that is not a string', { commandLine: ['python'] }, 'commandLine', 'must be a string, not a list'],
    ['no command line', { commandLine: undefined }, 'commandLine', 'is required'],
    ['an image that is not a string', { containerImage: 1 }, 'containerImage', 'must be a string, not number 1'],
    ['an image starting with "-"', { containerImage: '-ubuntu' }, 'containerImage', 'must be a container image reference, e.g. "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest"'],
    ['GPUs as text', { resources: { gpus: '1' } }, 'resources.gpus', 'must be a number'],
    ['a fraction of a GPU', { resources: { gpus: 1.5 } }, 'resources.gpus', 'must be a whole number'],
    ['17 GPUs', { resources: { gpus: 17 } }, 'resources.gpus', 'must be at most 16'],
    ['0 vCPUs', { resources: { cpus: 0 } }, 'resources.cpus', 'must be at least 1'],
    ['memory as text', { resources: { memoryGiB: '1' } }, 'resources.memoryGiB', 'must be a number'],
    ['0 GiB', { resources: { memoryGiB: 0 } }, 'resources.memoryGiB', 'must be more than 0'],
    ['12288.5 GiB', { resources: { memoryGiB: 12288.5 } }, 'resources.memoryGiB', 'must be at most 12288'],
    ['a pool that is not a string', { pool: 1 }, 'pool', 'must be "auto" or a pool name'],
    ['a pool name with a space', { pool: 'gpu pool' }, 'pool', 'must be "auto" or a pool name (letters, digits, ".", "_", "-")'],
    ['a variable name starting with a digit', { env: { '1A': 'x' } }, 'env.1A', 'must be a variable name: letters, digits and "_", not starting with a digit'],
    ['a variable name with "-"', { env: { 'A-B': 'x' } }, 'env.A-B', 'must be a variable name: letters, digits and "_", not starting with a digit'],
    ['a 129-character variable name', { env: { [`A${'b'.repeat(128)}`]: 'x' } }, `env.A${'b'.repeat(128)}`, 'must be a variable name: letters, digits and "_", not starting with a digit'],
    ['a variable Batch reserves, in any case', { env: { az_batch_task_id: 'x' } }, 'env.az_batch_task_id', 'must not start with AZ_BATCH (reserved by Batch)'],
    ['a variable value that is not a string', { env: { A: 1 } }, 'env.A', 'must be a string, not number 1'],
    ['a 4097-character variable value', { env: { A: 'x'.repeat(4097) } }, 'env.A', 'must be at most 4096 characters'],
    ['65 variables', { env: vars(65) }, 'env', 'must have at most 64 variables'],
    ['a timeout of 10081 minutes', { timeoutMinutes: 10081 }, 'timeoutMinutes', 'must be at most 10080'],
    ['11 retries', { retries: 11 }, 'retries', 'must be at most 10'],
    ['101 input files', { inputs: Array.from({ length: 101 }, () => fileIn) }, 'inputs', 'must have at most 100 entries'],
    ['an input of neither shape', { inputs: [{ file: 'x' }] }, 'inputs.0', 'must be { url, path } or { containerUrl, blobPrefix?, path? }'],
    ['an input URL that is not a string', { inputs: [{ url: 1, path: 'x' }] }, 'inputs.0', 'must be { url, path } or { containerUrl, blobPrefix?, path? }'],
    ['an http input URL', { inputs: [{ url: 'http://a.example/x', path: 'x' }] }, 'inputs.0.url', 'must be an absolute https:// URL'],
    ['an input path ending in ".."', { inputs: [{ url: 'https://a.example/x', path: 'data/..' }] }, 'inputs.0.path', 'must be a relative path without ".."'],
    ['an absolute input path', { inputs: [{ url: 'https://a.example/x', path: '/etc/x' }] }, 'inputs.0.path', 'must be a relative path without ".."'],
    ['an input path with a space', { inputs: [{ url: 'https://a.example/x', path: 'my data' }] }, 'inputs.0.path', 'must be a relative path without ".."'],
    ['a container input folder going up', { inputs: [{ containerUrl: 'https://a.example/c', path: '../x' }] }, 'inputs.0.path', 'must be a relative path without ".."'],
    ['an output container URL that is not a string', { output: { containerUrl: 1 } }, 'output.containerUrl', 'must be an https URL'],
    ['a 2049-character output container URL', { output: { containerUrl: `https://a.example/${'x'.repeat(2049 - 18)}` } }, 'output.containerUrl', 'must be at most 2048 characters'],
    ['an array of 10001 tasks', { array: { size: 10001 } }, 'array.size', 'must be at most 10000'],
    ['a dependency that is not a string', { dependsOn: [1] }, 'dependsOn.0', 'must be a job id'],
    ['21 dependencies', { dependsOn: jobIds(21) }, 'dependsOn', 'must have at most 20 entries'],
    ['the same dependency twice', { dependsOn: [JOB, JOB] }, 'dependsOn', 'must not name a job twice'],
  ])('refuses %s', (_what, patch, field, message) => {
    expect(errorsOf(patch)).toEqual([{ field, message }]);
  });

  it.each([
    ['x' + JOB],
    [JOB + 'x'],
    ['0123456789a-1234567890123-abc123'],
    ['0123456789AB-1234567890123-abc123'],
    ['0123456789ab-123456789012-abc123'],
    ['0123456789ab-123456789012x-abc123'],
    ['0123456789ab-1234567890123-abc12'],
    ['0123456789ab-1234567890123-ABC123'],
  ])('refuses dependency %s: not a job id', (id) => {
    expect(errorsOf({ dependsOn: [id] })).toEqual([{ field: 'dependsOn.0', message: 'must be a job id (as returned by POST /api/jobs)' }]);
  });

  it('accepts a dependency on a job id as POST /api/jobs returns it', () => {
    expect(errorsOf({ dependsOn: [JOB] })).toEqual([]);
  });

  it('refuses an image reference that only ends well', () => {
    expect(errorsOf({ containerImage: 'a b' }).map((e) => e.field)).toEqual(['containerImage']);
  });
});
