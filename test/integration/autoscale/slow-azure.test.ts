// Slow Azure: an operation that outlives the wait bound, and a pool whose reads hang, neither of which may repeat an
// action or hold up the other pools. Short bounds (2 s LRO wait, 6 s per pool) so the test stays quick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0', DSVMPOOL_LRO_WAIT_SECONDS: '2', DSVMPOOL_POOL_TIMEOUT_SECONDS: '6' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('slow Azure', () => {
  it('records an operation slower than the wait bound as still running and does not repeat it', async () => {
    const p = poolFixture(stack, 'slow-lro');
    await p.putPolicy({ minInstances: 1, scaleOutCooldownMinutes: 0 });
    const id = stack.emulator.faults.add({ operation: 'compute.operation.get', kind: 'latency', latencyInMs: 5_000, count: 1 });
    await p.tick();
    stack.emulator.faults.remove(id);
    expect((await p.events())[0]).toMatchObject({ outcome: 'done', steps: ['setCapacity 1 (still running)'] });
    await p.minutes(2);
    expect(p.states()).toEqual(['0:creating']);
    expect((await p.events()).filter((e) => e.direction === 'out')).toHaveLength(1);
  });

  it('abandons a pool whose metrics read hangs, records it, and the other pool is evaluated meanwhile', async () => {
    const a = poolFixture(stack, 'hang-a');
    const b = poolFixture(stack, 'hang-b');
    await a.putPolicy({ minInstances: 1 });
    await b.putPolicy({ minInstances: 1 });
    // Only one of the two metrics reads hangs (whichever comes first).
    const id = stack.emulator.faults.add({ operation: 'monitor.metrics.list', kind: 'latency', latencyInMs: 20_000, count: 1 });
    const started = Date.now();
    await a.tick();
    const tookMs = Date.now() - started;
    stack.emulator.faults.remove(id);
    // The abandoned evaluation may still record its own failure (the aborted read, ARM_TIMEOUT) next to the tick's
    // EVALUATION_TIMEOUT, at the same simulated time, so look at each pool's events rather than only the newest.
    const byPool = [await a.events(), await b.events()];
    const hung = byPool.find((events) => events.some((e) => e.outcome === 'failed'))!;
    const other = byPool.find((events) => events !== hung)!;
    expect(hung.some((e) => e.error?.code === 'EVALUATION_TIMEOUT')).toBe(true);
    expect(hung.some((e) => e.outcome === 'done')).toBe(false);
    expect(other.map((e) => e.outcome)).toEqual(['done']);
    expect(tookMs).toBeLessThan(20_000);
  });

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
