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
});
