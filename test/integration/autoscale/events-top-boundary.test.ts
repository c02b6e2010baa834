// README: GET /api/pools/{pool}/events takes `top` from 1 to 200 (default 20). Pinned at both edges, with the
// values written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => stack?.stop());

describe('events paging bounds', () => {
  it.each([
    ['1', 200],
    ['200', 200],
    ['201', 400],
    ['0', 400],
    ['2.5', 400],
  ])('top=%s → %i', async (top, status) => {
    const p = poolFixture(stack, `events-top-${top.replace('.', '-')}`);
    await p.putPolicy({ dryRun: true });
    const r = await p.api(`pools/${p.pool}/events?top=${top}`);
    expect(r.status).toBe(status);
    if (status === 400) expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});
