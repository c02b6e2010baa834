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

describe('each job code as README\'s Jobs API lists it', () => {
  it.each([
    ['JOB_NOT_FOUND', 404, 'Job not found'],
    ['POOL_NOT_FOUND', 404, 'Pool not found'],
    ['JOB_FINAL', 409, 'Job already finished'],
    ['IDEMPOTENCY_KEY_REUSED', 422, 'Idempotency-Key reused with another body'],
    ['LIST_FORBIDDEN', 403, 'Not allowed'],
    ['PAGE_TOKEN_INVALID', 400, 'Invalid continuationToken'],
    ['CONCURRENT_UPDATE', 409, 'Job changed meanwhile'],
    ['LOGS_INVALID', 400, 'Invalid logs query'],
    ['DEPENDENCY_INVALID', 422, 'Invalid dependency'],
    ['BATCH_POOL_UNUSABLE', 422, 'Batch pool cannot take jobs'],
    ['ROUTE_UNKNOWN_POOL', 422, 'No such Batch pool'],
    ['ROUTE_IMPOSSIBLE', 422, 'No node can hold this job'],
    ['ROUTE_NO_POOL', 422, 'No Batch pool of this kind'],
    ['STORAGE_THROTTLED', 503, 'Storage is busy'],
    ['STORAGE_UNAVAILABLE', 503, 'Storage unavailable'],
    ['BATCH_THROTTLED', 503, 'Batch is busy'],
    ['BATCH_UNAVAILABLE', 503, 'Batch unavailable'],
  ] as const)('%s → %i "%s"', (code, status, title) => {
    const r = jobsProblem(new JobsError(code, 'm'));
    expect(r.status).toBe(status);
    expect(bodyOf(r)).toMatchObject({ status, code, title, detail: 'm' });
  });
});
