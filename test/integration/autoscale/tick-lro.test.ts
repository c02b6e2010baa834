// A timer tick does not hold a pool slot while Azure carries out a deallocate: in Azure (and the emulator) the
// operation ends when the VM has deallocated, long after it was accepted, so a tick that waited for it would take
// ⌈pools / DSVMPOOL_MAX_CONCURRENT_POOLS⌉ × DSVMPOOL_LRO_WAIT_SECONDS when many pools scale in at once. The tick returns
// once each deallocate is accepted, records it '(still running)', and the next tick says how it ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture, type PoolFixture } from './pool-fixture.js';

const POOLS = 16;
const LRO_WAIT_SECONDS = 20;
const RUN_COMMAND_MS = 2000;
let stack: TestStack;

beforeAll(async () => {
  // 8 pools at once: before the fix, 16 pools whose deallocates never end during the tick took 2 × 20 s.
  stack = await startTestStack({ env: { DSVMPOOL_LRO_WAIT_SECONDS: String(LRO_WAIT_SECONDS), DSVMPOOL_MAX_CONCURRENT_POOLS: '8', DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a mass scale-in tick while Azure deallocates slowly', () => {
  it(`${POOLS} pools at 8 at once: the tick takes about one drain, not the LRO wait, and the next tick sees each VM deallocated`, async () => {
    const pools: PoolFixture[] = [];
    for (let i = 0; i < POOLS; i++) {
      const p = poolFixture(stack, `slow-deallocate-${i}`, 1);
      expect((await p.putPolicy({ idleMinutesBeforeScaleIn: 5, scaleInCooldownMinutes: 0, spareSeats: 0, maxDeallocated: 10 })).status).toBe(200);
      pools.push(p);
    }
    await pools[0]!.minutes(12, { tick: false });
    const fault = stack.emulator.faults.add({ operation: 'compute.vmssvm.runCommand', kind: 'latency', latencyInMs: RUN_COMMAND_MS });
    const started = Date.now();
    await pools[0]!.tick();
    const tickMs = Date.now() - started;
    stack.emulator.faults.remove(fault);
    // One drain deep plus ARM calls; the old wait inside the slots took ≥ 2 × 20 s.
    expect(tickMs).toBeLessThan(LRO_WAIT_SECONDS * 1000);
    for (const p of pools) {
      const [event] = await p.events();
      expect(event).toMatchObject({ outcome: 'done', direction: 'in', steps: ['drain 0', 'deallocate 0 (still running)'] });
      expect(p.states()).toEqual(['0:deallocating']);
    }
    // The deallocation ends (30 s in the emulator); the next tick observes how, and does nothing again.
    const deallocates = stack.emulator.calls({ operation: 'compute.vmss.deallocate' });
    await pools[0]!.minutes(1, { tick: false });
    for (const p of pools) expect(p.states()).toEqual(['0:deallocated']);
    await pools[0]!.tick();
    for (const p of pools) {
      const [event] = await p.events();
      // The whole event on failure: under a heavily loaded machine this once came without `settled`.
      expect(event?.settled, JSON.stringify(event)).toEqual(['deallocate 0: VM 0 deallocated']);
      expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
    }
    expect(stack.emulator.calls({ operation: 'compute.vmss.deallocate' })).toBe(deallocates);
  }, 180_000);
});
