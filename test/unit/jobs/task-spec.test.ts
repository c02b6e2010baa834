// The Batch task of a job and of one index of an array job: its id, name, environment, files and limits.
import { describe, expect, it } from 'vitest';
import type { DescribedPool } from '../../../src/jobs/batch-policy.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import type { JobSpecInput } from '../../../src/jobs/job-spec.js';
import { taskSpecFor } from '../../../src/jobs/task-spec.js';
import { SWEEP_ID, sweepJob } from './job-records.js';

const JOB = SWEEP_ID;
const policy = { defaultTimeoutMinutes: 60, defaultRetries: 2 } as DescribedPool;

const record = (spec: Partial<JobSpecInput> = {}): JobRecord => sweepJob('dispatching', {}, spec);

const out = { containerUrl: 'https://a.blob.core.windows.net/out' };

describe('taskSpecFor', () => {
  it('a single job: task job-{id}, its name, its own variables then the job id and name, the pool defaults', () => {
    const t = taskSpecFor(record({ env: { SEED: '7' } }), policy, 3);
    expect(t).toEqual({
      id: `job-${JOB}`,
      displayName: 'sweep',
      commandLine: 'python run.py',
      containerImage: undefined,
      containerRunOptions: undefined,
      env: [
        { name: 'SEED', value: '7' },
        { name: 'DSVMPOOL_JOB_ID', value: JOB },
        { name: 'DSVMPOOL_JOB_NAME', value: 'sweep' },
      ],
      maxWallClockMinutes: 60,
      maxTaskRetryCount: 2,
      requiredSlots: 3,
      resourceFiles: [],
      outputFiles: [],
    });
  });

  it('index 0 of an array job: task job-{id}-0, name[0], DSVMPOOL_ARRAY_INDEX and DSVMPOOL_ARRAY_SIZE', () => {
    const t = taskSpecFor(record({ array: { size: 5 } }), policy, 1, 0);
    expect(t.id).toBe(`job-${JOB}-0`);
    expect(t.displayName).toBe('sweep[0]');
    expect(t.env.slice(-2)).toEqual([
      { name: 'DSVMPOOL_ARRAY_INDEX', value: '0' },
      { name: 'DSVMPOOL_ARRAY_SIZE', value: '5' },
    ]);
  });

  it('outputs and logs go under the job id, and under the index for an array task', () => {
    expect(taskSpecFor(record({ output: out }), policy, 1).outputFiles).toEqual([
      { filePattern: 'outputs/**/*', containerUrl: out.containerUrl, path: JOB },
      { filePattern: '../std*.txt', containerUrl: out.containerUrl, path: `${JOB}/logs` },
    ]);
    expect(taskSpecFor(record({ output: out, array: { size: 12 } }), policy, 1, 11).outputFiles).toEqual([
      { filePattern: 'outputs/**/*', containerUrl: out.containerUrl, path: `${JOB}/11` },
      { filePattern: '../std*.txt', containerUrl: out.containerUrl, path: `${JOB}/logs/11` },
    ]);
  });

  it('an output path and pattern of the spec replace the job id and the default pattern', () => {
    expect(taskSpecFor(record({ output: { ...out, path: 'runs/a', filePattern: '*.csv' }, array: { size: 2 } }), policy, 1, 1).outputFiles).toEqual([
      { filePattern: '*.csv', containerUrl: out.containerUrl, path: 'runs/a/1' },
      { filePattern: '../std*.txt', containerUrl: out.containerUrl, path: 'runs/a/logs/1' },
    ]);
  });

  it('input files: a URL becomes httpUrl + filePath, a container storageContainerUrl + blobPrefix + filePath', () => {
    const t = taskSpecFor(
      record({ inputs: [{ url: 'https://a.blob.core.windows.net/c/d.csv', path: 'data/d.csv' }, { containerUrl: 'https://a.blob.core.windows.net/c', blobPrefix: 'set1/', path: 'sets' }] }),
      policy,
      1,
    );
    expect(t.resourceFiles).toEqual([
      { httpUrl: 'https://a.blob.core.windows.net/c/d.csv', filePath: 'data/d.csv' },
      { storageContainerUrl: 'https://a.blob.core.windows.net/c', blobPrefix: 'set1/', filePath: 'sets' },
    ]);
  });

  it("the spec's timeout and retries win over the pool defaults, even retries 0", () => {
    const t = taskSpecFor(record({ timeoutMinutes: 5, retries: 0 }), policy, 1);
    expect([t.maxWallClockMinutes, t.maxTaskRetryCount]).toEqual([5, 0]);
  });
});
