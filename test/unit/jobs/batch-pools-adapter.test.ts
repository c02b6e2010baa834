import { describe, expect, it } from 'vitest';
import { classifyBatchError, toBatchTask } from '../../../src/azure/batch-pools.js';

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
});
