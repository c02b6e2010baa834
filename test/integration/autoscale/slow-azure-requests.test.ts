// Requests while Azure hangs: a wake and the status reads answer within DSVMPOOL_POOL_TIMEOUT_SECONDS (6 s here)
// instead of waiting as long as Azure does, and the abandoned evaluation leaves the pool's lease free. A stack of its
// own, so no connection left over from another test's aborted request is in play.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  // One ARM retry, as in production (where the default is more): the wake's abandoned requests leave keep-alive sockets
  // that the status read can pick up just as they close, and a request that fails to send on one is retried. With no
  // retry at all that reset surfaced as ARM_UNAVAILABLE (twice in CI on a loaded machine); a hang is never retried
  // within the 6-s bound, so the timeout is still what answers.
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '1', DSVMPOOL_LRO_WAIT_SECONDS: '2', DSVMPOOL_POOL_TIMEOUT_SECONDS: '6' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('requests while Azure hangs', () => {
  it('answers a wake and status reads within the pool timeout while Azure hangs, and leaves the lease free for the next tick', async () => {
    const p = poolFixture(stack, 'hang-wake');
    await p.putPolicy({ scaleOutCooldownMinutes: 0 });
    // Every Compute call takes 30 s, five times the 6-s pool timeout.
    const id = stack.emulator.faults.add({ operation: 'compute.*', kind: 'latency', latencyInMs: 30_000 });
    let woke: Response;
    let status: Response;
    let list: Response;
    try {
      woke = await p.api('pools/hang-wake/wake', { method: 'POST' });
      status = await p.api('pools/hang-wake');
      list = await p.api('pools');
    } finally {
      stack.emulator.faults.remove(id);
    }
    // The status reads are bounded the same way: one pool asked for is a 503, the list shows that pool's error.
    expect(status.status).toBe(503);
    expect(((await status.json()) as { code: string }).code).toBe('EVALUATION_TIMEOUT');
    expect(list.status).toBe(200);
    const listed = ((await list.json()) as { items: { pool: string; error?: { code: string } }[] }).items.find((i) => i.pool === 'hang-wake');
    expect(listed?.error?.code).toBe('EVALUATION_TIMEOUT');
    expect(woke.status).toBe(202);
    expect(((await woke.json()) as { status: string }).status).toContain('EVALUATION_TIMEOUT');
    // The abandoned evaluation released the pool's lease: the next tick evaluates the pool (not "busy") and starts the
    // VM the wake asked for.
    await p.tick();
    const events = await p.events();
    expect(events.some((e) => e.kind === 'evaluation' && e.trigger === 'timer' && e.outcome === 'done')).toBe(true);
  }, 120_000);
});
