// What the API shows of a job, and the job listing's query: its edges and the message a person reads (query
// values arrive as text, as readQuery passes them).
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldErrors } from '../../../src/http/request.js';
import type { JobRecord } from '../../../src/jobs/job-record.js';
import { jobListQuerySchema, jobListSchema, toJobView } from '../../../src/jobs/job-view.js';
import { sweepJob } from './job-records.js';

const record = (patch: Partial<JobRecord> = {}, spec: Record<string, unknown> = {}): JobRecord => sweepJob('queued', patch, spec);

function errorsOf(schema: z.ZodType, query: Record<string, string>): { field: string; message: string }[] {
  const r = schema.safeParse(query);
  return r.success ? [] : fieldErrors(r.error);
}

describe('toJobView', () => {
  it('an array job sync has not seen yet shows every task waiting', () => {
    expect(toJobView(record({}, { array: { size: 3 } })).tasks).toEqual({ total: 3, waiting: 3, running: 0, succeeded: 0, failed: 0, cancelled: 0 });
  });

  it('shows the last error as code and message only, and no tasks for a single job', () => {
    const v = toJobView(record({ lastError: { code: 'BATCH_THROTTLED', message: 'Batch is busy', extra: 1 } as JobRecord['lastError'] }));
    expect(v.lastError).toEqual({ code: 'BATCH_THROTTLED', message: 'Batch is busy' });
    expect('tasks' in v).toBe(false);
    expect('lastError' in toJobView(record())).toBe(false);
  });
});

describe('job listing query', () => {
  it.each([
    ['a state', { state: 'running' }],
    ['a 64-character pool name with ".", "_" and "-"', { pool: `G${'p._-'.repeat(15)}123` }],
    ['one user', { user: 'ada@contoso.com' }],
    ['a 256-character user name', { user: 'u'.repeat(256) }],
    ['top 1 and top 100', { top: '1' }],
    ['top 100', { top: '100' }],
    ['a short continuation token', { continuationToken: 'abc' }],
    ['a 1024-character continuation token', { continuationToken: 't'.repeat(1024) }],
  ])('accepts %s', (_what, query) => {
    expect(errorsOf(jobListQuerySchema, query)).toEqual([]);
  });

  it('lists 20 by default', () => {
    expect(jobListQuerySchema.parse({})).toEqual({ top: 20 });
  });

  it.each([
    ['an unknown state', { state: 'done' }, 'state', 'must be one of queued, dispatching, dispatched, running, succeeded, failed, cancelling, cancelled'],
    ['a pool name starting with "_"', { pool: '_gpu' }, 'pool', 'must be a pool name'],
    ['a pool name with a space', { pool: 'gpu pool' }, 'pool', 'must be a pool name'],
    ['a 65-character pool name', { pool: 'p'.repeat(65) }, 'pool', 'must be a pool name'],
    ['two users', { user: 'ada,bob' }, 'user', 'must be one user name, without commas or control characters'],
    ['a user with a control character', { user: 'ada\u0007' }, 'user', 'must be one user name, without commas or control characters'],
    ['top as a word', { top: 'all' }, 'top', 'must be a number'],
    ['a fraction top', { top: '1.5' }, 'top', 'must be a whole number'],
    ['top 0', { top: '0' }, 'top', 'must be at least 1'],
    ['top 101', { top: '101' }, 'top', 'must be at most 100'],
  ])('refuses %s', (_what, query, field, message) => {
    expect(errorsOf(jobListQuerySchema, query)).toEqual([{ field, message }]);
  });

  it.each([
    ['an empty user', { user: '' }, 'user'],
    ['a 257-character user name', { user: 'u'.repeat(257) }, 'user'],
    ['a 1025-character continuation token', { continuationToken: 't'.repeat(1025) }, 'continuationToken'],
  ])('refuses %s', (_what, query, field) => {
    expect(errorsOf(jobListQuerySchema, query).map((e) => e.field)).toEqual([field]);
  });
});

describe('job list page', () => {
  it('keeps the items and the continuation token', () => {
    const page = { items: [toJobView(record())], continuationToken: 'next' };
    expect(jobListSchema.parse(page)).toEqual(page);
  });
});
