// The job service's errors: the name callers check, which codes are transient, and how any error is described
// for a record's lastError or a log line.
import { describe, expect, it } from 'vitest';
import { describeError, isTransient, JobsError } from '../../../src/jobs/errors.js';

describe('JobsError', () => {
  it('is named JobsError and keeps its code, message, cause and field errors', () => {
    const cause = new Error('socket hang up');
    const e = new JobsError('DEPENDENCY_INVALID', 'bad', { cause, errors: [{ field: 'dependsOn.0', message: 'no job' }] });
    expect([e.name, e.code, e.message, e.cause, e.errors]).toEqual(['JobsError', 'DEPENDENCY_INVALID', 'bad', cause, [{ field: 'dependsOn.0', message: 'no job' }]]);
  });
});

describe('isTransient', () => {
  it.each(['BATCH_THROTTLED', 'BATCH_UNAVAILABLE', 'BATCH_JOB_MISSING', 'STORAGE_THROTTLED', 'STORAGE_UNAVAILABLE', 'CONCURRENT_UPDATE'])('%s is retried', (code) => {
    expect(isTransient({ code })).toBe(true);
    expect(isTransient(new JobsError(code as never, 'm'))).toBe(true);
  });

  it.each([{ code: 'BATCH_REJECTED' }, { code: 'JOB_NOT_FOUND' }, { code: 'STORAGE_FAILED' }, { code: 'INTERNAL' }, { code: '' }, {}, undefined, 'BATCH_THROTTLED'])('%j is not', (error) => {
    expect(isTransient(error)).toBe(false);
  });
});

describe('describeError', () => {
  it('gives a JobsError\'s code and message, and its field errors only when it has some', () => {
    expect(describeError(new JobsError('JOB_FINAL', 'job is done'))).toEqual({ code: 'JOB_FINAL', message: 'job is done' });
    expect(describeError(new JobsError('DEPENDENCY_INVALID', 'bad', { errors: [{ field: 'dependsOn.0', message: 'no job' }] }))).toEqual({
      code: 'DEPENDENCY_INVALID',
      message: 'bad',
      errors: [{ field: 'dependsOn.0', message: 'no job' }],
    });
  });

  it.each([
    ['an error with a string code', Object.assign(new Error('Conflict'), { code: 'EntityAlreadyExists' }), { code: 'EntityAlreadyExists', message: 'Conflict' }],
    ['an error with a numeric code', Object.assign(new Error('refused'), { code: 111 }), { code: 'INTERNAL', message: 'refused' }],
    ['a plain Error', new Error('boom'), { code: 'INTERNAL', message: 'boom' }],
    ['a thrown string', 'boom', { code: 'INTERNAL', message: 'boom' }],
    ['undefined', undefined, { code: 'INTERNAL', message: 'undefined' }],
  ])('describes %s', (_, error, described) => {
    expect(describeError(error)).toEqual(described);
  });
});
