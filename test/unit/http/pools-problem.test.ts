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
