// Job ids and the table keys, Batch task ids and Batch job ids derived from them: each parser takes exactly what
// its builder makes and nothing around it.
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_PARTITION,
  ALL_PARTITION,
  allIndexRowKey,
  batchJobIdOf,
  isJobId,
  jobIdFromAllIndexRowKey,
  jobOfTask,
  keysOf,
  monthOfBatchJob,
  newJobId,
  POOL_STATE_PARTITION,
  taskIdOf,
  userPartition,
} from '../../../src/jobs/job-record.js';

const USER = '0123456789ab';
const JOB = '0123456789ab-8234567890123-abc123';

describe('job ids', () => {
  it('inverts the time so newer jobs sort first, padded to 13 digits', () => {
    expect(newJobId(USER, new Date('2026-12-01T00:00:00.000Z'), 'abc123')).toBe('0123456789ab-8203916799999-abc123');
    expect(newJobId(USER, new Date(9_999_999_999_994), 'abc123')).toBe('0123456789ab-0000000000005-abc123');
  });

  it('knows a job id and nothing with more around it', () => {
    expect(isJobId(JOB)).toBe(true);
    expect(isJobId(`x${JOB}`)).toBe(false);
    expect(isJobId(`${JOB}x`)).toBe(false);
  });

  it('keys of a job id: the user partition and j-{inverted}-{rand}; undefined for anything else', () => {
    expect(keysOf(JOB)).toEqual({ partitionKey: 'u-0123456789ab', rowKey: 'j-8234567890123-abc123', userKey: USER, invertedMs: '8234567890123', rand: 'abc123' });
    expect(keysOf('../etc')).toBeUndefined();
    expect(userPartition('ffffffffffff')).toBe('u-ffffffffffff');
  });

  it('the partitions other than users are named as stored tables already hold them', () => {
    expect([ACTIVE_PARTITION, ALL_PARTITION, POOL_STATE_PARTITION]).toEqual(['active', 'all', 'poolstate']);
  });

  it("the admin listing's row key {inverted}-{rand}-{user} turns back into the job id", () => {
    expect(allIndexRowKey(JOB)).toBe('8234567890123-abc123-0123456789ab');
    expect(jobIdFromAllIndexRowKey('8234567890123-abc123-0123456789ab')).toBe(JOB);
    expect(() => allIndexRowKey('nope')).toThrow('not a job id: nope');
  });

  it.each([
    ['x8234567890123-abc123-0123456789ab'],
    ['8234567890123-abc123-0123456789abx'],
    ['A234567890123-abc123-0123456789ab'],
    ['823456789012-abc123-0123456789ab'],
    ['8234567890123-abc12-0123456789ab'],
    ['8234567890123-ABC123-0123456789ab'],
    ['8234567890123-abc123-0123456789a'],
    ['8234567890123-abc123-0123456789AB'],
  ])('an admin row key %s that is not one of ours gives no job id', (rowKey) => {
    expect(jobIdFromAllIndexRowKey(rowKey)).toBeUndefined();
  });
});

describe('Batch task ids', () => {
  it('job-{id} for a job, job-{id}-{index} for an array task, and back', () => {
    expect(taskIdOf(JOB)).toBe(`job-${JOB}`);
    expect(taskIdOf(JOB, 0)).toBe(`job-${JOB}-0`);
    expect(jobOfTask(`job-${JOB}`)).toEqual({ jobId: JOB });
    expect(jobOfTask(`job-${JOB}-7`)).toEqual({ jobId: JOB, index: 7 });
    expect(jobOfTask(`job-${JOB}-99999`)).toEqual({ jobId: JOB, index: 99999 });
  });

  it.each([[`job-${JOB}-100000`], [`job-${JOB}-x`], [`xjob-${JOB}`], [`job-${JOB}x`], ['jobprep']])('%s is not a task of ours', (taskId) => {
    expect(jobOfTask(taskId)).toBeUndefined();
  });
});

describe('Batch job ids', () => {
  it('dsvmpool-{poolId}-{yyyymm} and its month back; other ids have none', () => {
    expect(batchJobIdOf('gpu-a', '2026-12-01T09:00:00.000Z')).toBe('dsvmpool-gpu-a-202612');
    expect(monthOfBatchJob('dsvmpool-gpu-a-202612')).toBe('202612');
    expect(monthOfBatchJob('dsvmpool-gpu-a-202612-old')).toBeUndefined();
    expect(monthOfBatchJob('old-dsvmpool-gpu-a-202612')).toBeUndefined();
  });
});
