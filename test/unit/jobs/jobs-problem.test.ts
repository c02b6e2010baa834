import { describe, expect, it } from 'vitest';
import { jobsProblem } from '../../../src/http/jobs-problem.js';
import { JobsError } from '../../../src/jobs/errors.js';

const bodyOf = (r: ReturnType<typeof jobsProblem>) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('job errors as problem+json', () => {
  it('maps a known code to its status and keeps the message as the detail', () => {
    const r = jobsProblem(new JobsError('JOB_NOT_FOUND', 'No job "x" for you'));
    expect(r.status).toBe(404);
    expect(r.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(r.headers).not.toHaveProperty('retry-after');
    expect(bodyOf(r)).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND', title: 'Job not found', detail: 'No job "x" for you' });
  });

  it('tells the caller when to retry a busy dependency', () => {
    const r = jobsProblem(new JobsError('BATCH_THROTTLED', 'Batch said 429'));
    expect(r.status).toBe(503);
    expect(r.headers).toMatchObject({ 'retry-after': '5' });
  });

  it('answers 500 for an unknown error without leaking its message', () => {
    const r = jobsProblem(new Error('socket hang up at 10.0.0.4'));
    expect(r.status).toBe(500);
    expect(bodyOf(r)).toMatchObject({ code: 'INTERNAL', title: 'Internal error' });
    expect(String(bodyOf(r).detail)).not.toContain('10.0.0.4');
  });
});
