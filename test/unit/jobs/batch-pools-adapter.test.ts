import { describe, expect, it } from 'vitest';
import type { BatchClient } from '../../../src/azure/batch/batch-client.js';
import { pagedList } from '../../../src/azure/batch/paged-list.js';
import { classifyBatchError, createBatchPools, toBatchTask } from '../../../src/azure/batch-pools.js';

const restError = (statusCode: number, code: string) => Object.assign(new Error(`Batch ${code}`), { statusCode, code });

/** A Batch client whose job calls answer from a script; every other method is absent. */
function jobsClient(o: { jobs?: string[]; unfinished?: string[]; listError?: Error; terminateError?: Error }) {
  const calls: { op: string; arg: unknown }[] = [];
  const client = {
    listJobs: (opts: unknown) => {
      calls.push({ op: 'listJobs', arg: opts });
      return pagedList(async () => {
        if (o.listError) throw o.listError;
        return { value: (o.jobs ?? []).map((id) => ({ id, poolInfo: { poolId: 'gpu' } })) };
      });
    },
    listTasks: (jobId: string, opts: unknown) => {
      calls.push({ op: 'listTasks', arg: opts });
      return pagedList(async () => {
        if (jobId === 'gone') throw restError(404, 'JobNotFound');
        return { value: (o.unfinished ?? []).includes(jobId) ? [{ id: 't' }] : [] };
      });
    },
    terminateJob: async (jobId: string, opts: unknown) => {
      calls.push({ op: 'terminateJob', arg: { jobId, opts } });
      if (o.terminateError) throw o.terminateError;
    },
  } as unknown as BatchClient;
  return { client, calls };
}

describe('Batch adapter', () => {
  it.each([
    [{ statusCode: 409, code: 'TaskExists' }, 'TASK_EXISTS'],
    [{ statusCode: 429, code: 'TooManyRequests' }, 'BATCH_THROTTLED'],
    [{ statusCode: 503, code: 'ServerBusy' }, 'BATCH_THROTTLED'],
    [{ statusCode: 500, code: 'InternalError' }, 'BATCH_UNAVAILABLE'],
    [{ code: 'ECONNRESET' }, 'BATCH_UNAVAILABLE'],
    [{ statusCode: 404, code: 'JobNotFound' }, 'BATCH_NOT_FOUND'],
    [{ statusCode: 400, code: 'InvalidPropertyValue' }, 'BATCH_REJECTED'],
  ])('classifies %j as %s', (error, code) => {
    expect(classifyBatchError('x', Object.assign(new Error('e'), error)).code).toBe(code);
  });

  it('maps a task to the REST shape with ISO durations, container settings and output files', () => {
    const t = toBatchTask({
      id: 'job-1',
      displayName: 'n',
      commandLine: 'run',
      containerImage: 'pytorch/pytorch:latest',
      containerRunOptions: '--gpus all',
      env: [{ name: 'A', value: '1' }],
      maxWallClockMinutes: 90,
      maxTaskRetryCount: 2,
      requiredSlots: 1,
      resourceFiles: [{ httpUrl: 'https://a/b', filePath: 'b' }],
      outputFiles: [{ filePattern: 'outputs/**/*', containerUrl: 'https://a/out', path: 'job-1' }],
    });
    expect(t).toMatchObject({
      constraints: { maxWallClockTime: 'PT90M', maxTaskRetryCount: 2 },
      containerSettings: { imageName: 'pytorch/pytorch:latest', containerRunOptions: '--gpus all' },
      environmentSettings: [{ name: 'A', value: '1' }],
      outputFiles: [{ filePattern: 'outputs/**/*', destination: { container: { containerUrl: 'https://a/out', path: 'job-1' } }, uploadOptions: { uploadCondition: 'taskcompletion' } }],
      userIdentity: { autoUser: { elevationLevel: 'nonadmin' } },
    });
  });

  it('lists the active Batch jobs with our prefix, asking Batch only for active ones', async () => {
    const { client, calls } = jobsClient({ jobs: ['dsvmpool-gpu-202611', 'nightly-etl'] });
    expect(await createBatchPools(client).listActiveJobs('dsvmpool-')).toEqual([{ id: 'dsvmpool-gpu-202611', poolId: 'gpu' }]);
    expect(calls[0]!.arg).toMatchObject({ filter: "state eq 'active'" });
  });

  it('asks for one unfinished task at most, and counts a missing Batch job as having none', async () => {
    const { client, calls } = jobsClient({ unfinished: ['busy'] });
    const pools = createBatchPools(client);
    expect(await pools.hasUnfinishedTasks('busy')).toBe(true);
    expect(await pools.hasUnfinishedTasks('idle')).toBe(false);
    expect(await pools.hasUnfinishedTasks('gone')).toBe(false);
    expect(calls[0]!.arg).toMatchObject({ filter: "state ne 'completed'", maxResults: 1 });
  });

  it.each([
    [restError(409, 'JobCompleted'), undefined],
    [restError(404, 'JobNotFound'), undefined],
    [restError(503, 'ServerBusy'), 'BATCH_THROTTLED'],
    [restError(500, 'InternalError'), 'BATCH_UNAVAILABLE'],
  ])('terminating a Batch job that answers %s → %s', async (error, code) => {
    const { client, calls } = jobsClient({ terminateError: error });
    const done = createBatchPools(client).terminateJob('dsvmpool-gpu-202611', 'month over');
    if (code) await expect(done).rejects.toMatchObject({ code });
    else await expect(done).resolves.toBeUndefined();
    expect(calls[0]!.arg).toMatchObject({ jobId: 'dsvmpool-gpu-202611', opts: { terminateReason: 'month over' } });
  });

  it('classifies a throttled job listing', async () => {
    const { client } = jobsClient({ listError: restError(429, 'TooManyRequests') });
    await expect(createBatchPools(client).listActiveJobs('dsvmpool-')).rejects.toMatchObject({ code: 'BATCH_THROTTLED' });
  });
});
