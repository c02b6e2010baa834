// The logs route's query at its edges (values arrive as text, as readQuery passes them) and the page it answers.
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../src/http/request.js';
import { jobLogsQuerySchema, jobLogsSchema, poolUsageSchema } from '../../../src/jobs/job-logs-view.js';

function errorsOf(query: Record<string, string>): { field: string; message: string }[] {
  const r = jobLogsQuerySchema.safeParse(query);
  return r.success ? [] : fieldErrors(r.error);
}

describe('logs query', () => {
  it('defaults: stdout from byte 0, 64 KiB', () => {
    expect(jobLogsQuerySchema.parse({})).toEqual({ stream: 'stdout', offset: 0, length: 65536 });
  });

  it('takes stderr, a 1 MiB page, and the last index of the largest array', () => {
    expect(jobLogsQuerySchema.parse({ stream: 'stderr', offset: '10', length: '1048576', index: '9999' })).toEqual({ stream: 'stderr', offset: 10, length: 1048576, index: 9999 });
    expect(jobLogsQuerySchema.parse({ length: '1', index: '0' })).toMatchObject({ length: 1, index: 0 });
  });

  it.each([
    ['another file', { stream: 'both' }, 'stream', 'must be stdout or stderr'],
    ['an offset as a word', { offset: 'end' }, 'offset', 'must be a whole number (bytes)'],
    ['a fraction offset', { offset: '1.5' }, 'offset', 'must be a whole number'],
    ['a negative offset', { offset: '-1' }, 'offset', 'must be at least 0'],
    ['a length as a word', { length: 'all' }, 'length', 'must be a whole number (bytes)'],
    ['a length of 0', { length: '0' }, 'length', 'must be at least 1'],
    ['a page over 1 MiB', { length: '1048577' }, 'length', 'must be at most 1048576'],
    ['an index as a word', { index: 'first' }, 'index', 'must be a whole number (a task index)'],
    ['index 10000', { index: '10000' }, 'index', 'must be at most 9999'],
    ['an unknown parameter', { tail: '10' }, 'tail', 'is not a known field (check the spelling)'],
  ])('refuses %s', (_what, query, field, message) => {
    expect(errorsOf(query)).toEqual([{ field, message }]);
  });
});

describe('logs page and pool usage shapes', () => {
  it('a page of either stream, and a pool usage row, keep every field', () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const page = { jobId: 'j', stream, index: 2, offset: 0, nextOffset: 5, size: 5, complete: true, state: 'succeeded' as const, text: 'hello' };
      expect(jobLogsSchema.parse(page)).toEqual(page);
    }
    const usage = { pool: 'gpu', at: '2026-12-01T09:00:00.000Z', users: [{ user: 'ada', gpus: 2, tasks: 3, queued: 1, held: 0 }] };
    expect(poolUsageSchema.parse(usage)).toEqual(usage);
  });
});
