// Autoscale error codes become problem+json with the status README's "Pools API" promises; Azure trouble is 503 with
// Retry-After (try again), never a 5xx for the caller's own mistake.
import { describe, expect, it } from 'vitest';
import { poolsProblem } from '../../../src/http/pools-problem.js';

const body = (r: { body?: unknown }) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('pool errors as problem+json', () => {
  it.each([
    ['POOL_NOT_FOUND', 404, undefined],
    ['POLICY_INVALID', 409, undefined],
    ['ARM_THROTTLED', 503, '10'],
    ['ARM_UNAVAILABLE', 503, '10'],
    ['ARM_CONFLICT', 503, '10'],
    ['ARM_LRO_FAILED', 502, undefined],
  ])('%s → %i', (code, status, retryAfter) => {
    const r = poolsProblem({ code, message: `what happened for ${code}` });
    expect(r.status).toBe(status);
    const headers = r.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/problem+json');
    expect(headers['retry-after']).toBe(retryAfter);
    expect(body(r)).toMatchObject({ status, code, detail: `what happened for ${code}` });
  });

  it('names each bad field of an invalid policy', () => {
    const r = poolsProblem({ code: 'POLICY_INVALID', message: 'bad', problems: [{ field: 'maxInstances', reason: 'must be at least 1' }] });
    expect(body(r).errors).toEqual([{ field: 'maxInstances', message: 'must be at least 1' }]);
  });

  it('hides the internals of an unexpected error behind a 500 that says what to do', () => {
    const r = poolsProblem(new Error('socket hang up at 10.0.0.4'));
    expect(r.status).toBe(500);
    expect(String(body(r).detail)).not.toContain('10.0.0.4');
  });
});

describe('each autoscale code as README\'s Pools API lists it', () => {
  it.each([
    ['POOL_NOT_FOUND', 404, 'Pool not found'],
    ['POLICY_NOT_FOUND', 404, 'Policy not found'],
    ['POLICY_INVALID', 409, 'Pool policy is invalid'],
    ['POLICY_CONFLICT', 409, 'Another pool manages this scale set'],
    ['PAGE_TOKEN_INVALID', 400, 'Invalid continuationToken'],
    ['POOL_DISABLED', 409, 'Autoscale is off for this pool'],
    ['POOL_BUSY', 409, 'Pool is being evaluated'],
    ['ARM_THROTTLED', 503, 'Azure is throttling requests'],
    ['ARM_UNAVAILABLE', 503, 'Azure is unavailable'],
    ['ARM_CONFLICT', 503, 'The scale set is busy'],
    ['ARM_TIMEOUT', 503, 'Azure did not answer in time'],
    ['EVALUATION_TIMEOUT', 503, 'Evaluation took too long'],
    ['ARM_LRO_FAILED', 502, 'An Azure operation failed'],
    ['STORAGE_THROTTLED', 503, 'Table Storage is throttling requests'],
    ['STORAGE_UNAVAILABLE', 503, 'Table Storage is unavailable'],
    ['STORAGE_FAILED', 502, 'Table Storage returned an error'],
    ['NOT_FOUND', 502, 'The scale set was not found'],
    ['ARM_ERROR', 502, 'Azure returned an error'],
  ])('%s → %i "%s"', (code, status, title) => {
    const r = poolsProblem({ code, message: 'm' });
    expect(r.status).toBe(status);
    expect(body(r)).toMatchObject({ status, code, title, detail: 'm' });
  });
});
