// Health of a pool through the real stack: VMs stopped but still allocated are deallocated after the policy's grace,
// and what GET /api/pools/{pool} and /connect answer when Azure is slow or gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { emulatorFetch } from '../emulator/emulator-clients.js';
import { poolFixture } from './pool-fixture.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { DSVMPOOL_ARM_MAX_RETRIES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a VM stopped but still allocated', () => {
  it('is deallocated once stopped for deallocateStoppedAfterMinutes, and the event says why', async () => {
    const p = poolFixture(stack, 'stopped-vm', 2);
    await p.putPolicy({ minInstances: 1, deallocateStoppedAfterMinutes: 10, scaleInCooldownMinutes: 0, maxDeallocated: 5 });
    await p.minutes(6, { tick: false }); // both VMs boot
    stack.emulator.compute.setSessions(p.id, '0', { ssh: 1 });
    await p.minutes(2);
    // Someone runs `sudo poweroff` on VM 1 (here: the scale set's power-off call on that instance).
    const off = await emulatorFetch(stack.emulator, `${p.id}/poweroff?api-version=2026-04-01`, { method: 'POST', body: { instanceIds: ['1'] } });
    expect(off.status).toBe(202);
    await p.minutes(5);
    expect(p.states()).toEqual(['0:running', '1:stopped']);
    const status = (await (await p.api(`pools/${p.pool}`)).json()) as { warnings: string[] };
    expect(status.warnings).toContain('VM 1: stopped but not deallocated, so still billed for compute; deallocated once stopped for 10 min');
    await p.minutes(6);
    expect(p.states()[1]).toMatch(/^1:deallocat/);
    const parked = (await p.events()).find((e) => e.plan?.deallocate.includes('1'));
    expect(parked?.reason).toContain('deallocating stopped 1 (stopped but still allocated for 10 min or more, so still billed)');
    expect(stack.emulator.compute.killedSessions(p.id)).toBe(0);
    await p.putPolicy({ enabled: false });
  });
});

describe('a broken pool', () => {
  it('writes one failed event while it fails the same way, not one a minute', async () => {
    const p = poolFixture(stack, 'broken-pool');
    await p.putPolicy({ minInstances: 1 });
    const fault = stack.emulator.faults.add({ operation: 'compute.vmssvm.list', kind: 'status', status: 503 });
    await p.minutes(5);
    stack.emulator.faults.remove(fault);
    const events = await p.events();
    expect(events.map((e) => [e.outcome, e.error?.code])).toEqual([['failed', 'ARM_UNAVAILABLE']]);
    await p.putPolicy({ enabled: false });
  });
});

