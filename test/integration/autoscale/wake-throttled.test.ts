// POST /wake while Azure throttles every Compute call: the timer's evaluation spends seconds in the SDK's retries and
// holds the pool's lease, so the wake finds it busy. Its answer must name the throttling the pool's record shows, not
// say that another evaluation is bringing the pool up. A stack of its own: ARM retries as in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '3' } });
});
afterAll(async () => {
  await stack?.stop();
});

interface WakeBody {
  ready: boolean;
  expectedReadyAt: string | null;
  status: string;
  problem: { code: string; message: string; at: string } | null;
}

describe('wake under sustained throttling', () => {
  it('while the timer holds the lease retrying throttled calls, the wake answers with ARM_THROTTLED from the latest evaluation, not "bringing the pool up"', async () => {
    const p = poolFixture(stack, 'throttled-wake');
    await p.putPolicy({ scaleOutCooldownMinutes: 0 });
    // Every Compute call 429 with Retry-After 3 s: with 3 retries one evaluation takes about 9 s, as in the trial.
    const id = stack.emulator.faults.add({ operation: 'compute.*', kind: 'status', status: 429, retryAfterSeconds: 3 });
    const hits = () => stack.emulator.faults.list().find((f) => f.id === id)?.hits ?? 0;
    let woke: Response;
    try {
      await p.tick();
      expect((await p.events())[0]).toMatchObject({ kind: 'evaluation', outcome: 'failed', error: { code: 'ARM_THROTTLED' } });
      // The next tick takes the lease and is inside its retries once the emulator has throttled it.
      const before = hits();
      const ticking = p.tick();
      while (hits() === before) await new Promise((r) => setTimeout(r, 50));
      woke = await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
      await ticking;
    } finally {
      stack.emulator.faults.remove(id);
    }
    expect(woke.status).toBe(202);
    expect(woke.headers.get('retry-after')).toBe('10');
    const body = (await woke.json()) as WakeBody;
    expect(body.ready).toBe(false);
    expect(body.expectedReadyAt).toBeNull();
    expect(body.problem?.code).toBe('ARM_THROTTLED');
    expect(body.status).toMatch(/^could not start a VM: the pool's latest evaluation \(\d{4}-\d\d-\d\dT[\d:.]+Z\) failed with ARM_THROTTLED \(.+\); your wake stands and the next evaluation tries again$/);
    expect(body.status).toContain(body.problem?.message);
    expect(p.states()).toEqual([]);

    // Azure answers again: the next wake evaluates itself and the words follow what it did.
    const again = await p.api(`pools/${p.pool}/wake`, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(again.headers.get('retry-after')).toBeNull();
    expect(await again.json()).toMatchObject({ ready: false, status: 'creating a new VM', problem: null });
    expect(p.states()).toEqual(['0:creating']);
  }, 120_000);
});
