// The line a job view carries while dispatch waits out a Batch outage: only for a job still queued or dispatching
// whose last error is transient.
import { describe, expect, it } from 'vitest';
import { dispatchWait } from '../../../src/jobs/describe-jobs.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobInState } from './job-records.js';

const throttled = { code: 'BATCH_THROTTLED', message: 'Batch answered 429' };

describe('dispatchWait', () => {
  it.each(['queued', 'dispatching'] as const)('says what Batch answered to a %s job and how many attempts were made', (state) => {
    expect(dispatchWait(jobInState(state, { lastError: throttled, dispatchAttempts: 3 }))).toBe(
      'Azure Batch is busy or unreachable (BATCH_THROTTLED: Batch answered 429); dispatch tries again with a growing delay (attempt 3 so far), and the job keeps its place',
    );
  });

  it.each<[string, Partial<JobRecord>, JobRecord['state']]>([
    ['a dispatched job', { lastError: throttled }, 'dispatched'],
    ['a running job', { lastError: throttled }, 'running'],
    ['a queued job without an error', {}, 'queued'],
    ['a queued job whose error is permanent', { lastError: { code: 'BATCH_REJECTED', message: 'InvalidPropertyValue' } }, 'queued'],
  ])('says nothing for %s', (_, patch, state) => {
    expect(dispatchWait(jobInState(state, patch))).toBeUndefined();
  });
});
